import type { AuditActor } from "@/lib/audit";
import type { Permission } from "@/lib/auth/permissions";
import type { Environment } from "@/lib/generated/prisma/enums";
import type { MetaRequest } from "@/lib/keys/meta-request";
import type { OrgRef } from "@/lib/orgs/hierarchy";

/**
 * What every service receives: who acts (for the audit record), for which org (already
 * checked by the action), in which environment. Services take one object argument each,
 * write the change and its audit record in one transaction, and throw AppError
 * (lib/errors.ts) for expected failures.
 */
export interface ServiceContext {
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
  /**
   * What the actor may do in `org` (their role's permissions, from the session): services
   * check what a rule adds to the action's own permission (a key type's extra permission,
   * lib/keys/permissions.ts). Absent when no signed-in person acts (scripts, tests).
   */
  permissions?: ReadonlySet<Permission>;
}

/** The parts of a signed-in session (lib/auth/session.ts PortalSession) a context is made of. */
export interface Caller {
  user: { id: string; email: string };
  ip: string | null;
  userAgent: string | null;
  environment: Environment;
  actingOrg: OrgRef;
  permissions?: ReadonlySet<Permission>;
}

/** Who acts, as the audit record names them. */
export function actorOf(caller: Pick<Caller, "user" | "ip" | "userAgent">): ServiceContext["actor"] {
  return { actorId: caller.user.id, actorEmail: caller.user.email, ip: caller.ip, userAgent: caller.userAgent };
}

/** The context of a service called for `caller`, on `org` (default: the org acted for). */
export function serviceContext(caller: Caller, org: OrgRef = caller.actingOrg): ServiceContext {
  return {
    actor: actorOf(caller),
    org,
    environment: caller.environment,
    permissions: caller.permissions,
  };
}
