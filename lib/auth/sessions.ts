import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { prisma } from "@/lib/db";
import type { PortalSession } from "./session";

/** The caller's own open sessions (usable ones), newest first; `current` marks this one. */
export async function listOwnSessions(session: PortalSession) {
  const rows = await prisma.session.findMany({
    where: { userId: session.user.id, expiresAt: { gt: new Date() }, verifiedAt: { not: null } },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, createdAt: true, updatedAt: true, ipAddress: true, userAgent: true },
  });
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    lastSeenAt: r.updatedAt,
    ip: r.ipAddress,
    userAgent: r.userAgent,
    current: r.id === session.sessionId,
  }));
}

/** Ends one of the caller's own sessions (this one included: that signs them out). Audited. */
export async function endOwnSession(session: PortalSession, sessionId: string): Promise<{ current: boolean }> {
  await prisma.$transaction(async (tx) => {
    const ended = await tx.session.deleteMany({ where: { id: sessionId, userId: session.user.id } });
    if (ended.count === 0) throw new AppError("NOT_FOUND", "That session has ended already.");
    await recordAudit(tx, {
      actorId: session.user.id,
      actorEmail: session.user.email,
      ip: session.ip,
      userAgent: session.userAgent,
      orgId: session.userOrg.id,
      action: "auth.session_end",
      targetType: "session",
      targetId: sessionId,
      details: { current: sessionId === session.sessionId },
    });
  });
  return { current: sessionId === session.sessionId };
}
