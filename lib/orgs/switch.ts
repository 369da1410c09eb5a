import { prisma } from "@/lib/db";
import { recordAudit } from "@/lib/audit";
import type { PortalSession } from "@/lib/auth/session";

/** Records the org a session acts for. The caller has checked the scope. */
export async function switchActingOrg(session: PortalSession, orgId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.session.update({
      where: { id: session.sessionId },
      data: { actingOrgId: orgId === session.userOrg.id ? null : orgId },
    });
    await recordAudit(tx, {
      actorId: session.user.id,
      actorEmail: session.user.email,
      ip: session.ip,
      userAgent: session.userAgent,
      orgId,
      action: "auth.switch_merchant",
      targetType: "organization",
      targetId: orgId,
      details: { from: session.actingOrg.id },
    });
  });
}
