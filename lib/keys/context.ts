import type { Environment } from "@/lib/generated/prisma/enums";
import type { AuditActor } from "@/lib/audit";
import type { PortalSession } from "@/lib/auth/session";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import type { MetaRequest } from "./meta";

/**
 * What every key service receives: who acts (for the audit record), for which org (already
 * checked by the action), in which environment. Services take one object argument each,
 * write the change and its audit record in one transaction, and throw AppError
 * (lib/actions.ts) for expected failures.
 */
export interface KeyServiceContext {
  actor: AuditActor & { actorId: string; actorEmail: string };
  org: OrgRef;
  environment: Environment;
  /** The clock, for tests. */
  now?: Date;
  /** Create as a meta key (portfolio and account users; lib/keys/meta.ts). */
  meta?: MetaRequest;
  /** Regenerate meta key: copy this key's scope and assignments onto the new one. */
  regenerateFrom?: string;
  /** Custodian (B6) of a key being created; checked by `checkCustodian` (lib/keys/lifecycle.ts). */
  custodianId?: string | null;
}

export function keyContext(session: PortalSession, org: OrgRef = session.actingOrg): KeyServiceContext {
  return {
    actor: { actorId: session.user.id, actorEmail: session.user.email, ip: session.ip, userAgent: session.userAgent },
    org,
    environment: session.environment,
  };
}
