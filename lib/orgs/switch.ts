import { prisma } from "@/lib/db";
import { recordAudit } from "@/lib/audit";
import type { PortalSession } from "@/lib/auth/session";
import type { Environment } from "@/lib/generated/prisma/enums";

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

/**
 * A5: which environment's keys the session works with (Test or Production). Keys, reports
 * and the dashboard follow it; the test gateway accepts only test keys whatever it says.
 */
export async function switchEnvironment(session: PortalSession, environment: Environment): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.session.update({ where: { id: session.sessionId }, data: { environment } });
    await recordAudit(tx, {
      actorId: session.user.id,
      actorEmail: session.user.email,
      ip: session.ip,
      userAgent: session.userAgent,
      orgId: session.actingOrg.id,
      action: "auth.switch_environment",
      targetType: "session",
      targetId: session.sessionId,
      details: { from: session.environment, to: environment },
    });
  });
}
