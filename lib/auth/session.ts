import { headers } from "next/headers";
import { cache } from "react";
import { prisma } from "@/lib/db";
import type { Environment } from "@/lib/generated/prisma/enums";
import { clientIp } from "@/lib/http/client-ip";
import { mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";
import { MFA_CHAIN, nearestMfaRequirer } from "@/lib/orgs/settings";
import { getAuth } from "./auth";
import { isPermission, type Permission } from "./permissions";

export interface PortalOrg extends OrgRef {
  name: string;
}

/** Everything a page or action needs to know about the caller. */
export interface PortalSession {
  sessionId: string;
  user: { id: string; email: string; name: string };
  /** The org the person belongs to. */
  userOrg: PortalOrg;
  /** The org the person acts for now (Switch merchant); their own org by default. */
  actingOrg: PortalOrg;
  roleName: string;
  permissions: ReadonlySet<Permission>;
  environment: Environment;
  ip: string | null;
  userAgent: string | null;
  /** When the person last proved who they are (sign-in, second factor, step-up). */
  verifiedAt: Date;
  /** The org requires a second factor and this person has none yet: enrolling is all they may do. */
  mfaEnrollmentRequired: boolean;
}

/** Signed out after this long without a request (the absolute limit is SESSION_MAX_AGE_SECONDS). */
export const IDLE_TIMEOUT_MINUTES = 30;
/** Step-up (B5): sensitive actions want a verification no older than this. */
export const STEP_UP_MAX_AGE_MS = 5 * 60_000;
/** A session's `updatedAt` (its "last seen") is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

const orgFields = { id: true, name: true, type: true, portfolioId: true, accountId: true } as const;

/** Resolves the signed-in person for this request (once per request), or null. */
export const getPortalSession = cache(async (): Promise<PortalSession | null> => resolvePortalSession(await headers()));

/**
 * The session behind a request's cookies, or null: signed out, expired (12 hours), idle for
 * IDLE_TIMEOUT_MINUTES, disabled, or still owing the second factor.
 */
export async function resolvePortalSession(h: Headers): Promise<PortalSession | null> {
  const found = await getAuth()
    .api.getSession({ headers: h })
    .catch(() => null);
  if (!found) return null;
  const row = await prisma.session.findUnique({
    where: { id: found.session.id },
    include: {
      user: { include: { org: { select: { ...orgFields, ...MFA_CHAIN } }, role: true } },
    },
  });
  const now = Date.now();
  if (!row || row.expiresAt.getTime() <= now || row.user.disabled || !row.verifiedAt) return null;
  if (row.updatedAt.getTime() <= now - IDLE_TIMEOUT_MINUTES * 60_000) {
    await prisma.session.deleteMany({ where: { id: row.id } });
    return null;
  }
  if (row.updatedAt.getTime() <= now - TOUCH_EVERY_MS) {
    await prisma.session.updateMany({ where: { id: row.id }, data: { updatedAt: new Date(now) } });
  }
  const { settings, parent, ...userOrg } = row.user.org;
  const user = { ...row.user, org: userOrg };
  // Required by the person's org or an org above it; asked only of people without a second factor.
  const mfaEnrollmentRequired =
    !user.twoFactorEnabled && nearestMfaRequirer({ id: userOrg.id, settings, parent }) !== null;
  let actingOrg: PortalOrg = user.org;
  if (row.actingOrgId && row.actingOrgId !== user.orgId) {
    const target = await prisma.organization.findUnique({ where: { id: row.actingOrgId }, select: orgFields });
    if (target && mayActFor(user.org, target)) actingOrg = target;
  }
  return {
    sessionId: row.id,
    user: { id: user.id, email: user.email, name: user.name },
    userOrg: user.org,
    actingOrg,
    roleName: user.role.name,
    // Until the required second factor is enrolled, no permission holds (defineAction and
    // requirePageSession also send the person to the Security page).
    permissions: new Set(mfaEnrollmentRequired ? [] : user.role.permissions.filter(isPermission)),
    environment: row.environment,
    ip: clientIp(h),
    userAgent: h.get("user-agent"),
    verifiedAt: row.verifiedAt,
    mfaEnrollmentRequired,
  };
}

/** The client's address: X-Forwarded-For only from KEYCENTER_TRUSTED_PROXIES (lib/http/client-ip.ts). */
export { clientIp };

export class AuthorizationError extends Error {
  constructor(
    public readonly code: "UNAUTHENTICATED" | "FORBIDDEN",
    message: string,
  ) {
    super(message);
  }
}

/** True when the caller holds `permission` and may act for `org` (default: the org acted for). */
export function hasPermission(session: PortalSession | null, permission: Permission, org?: OrgRef): boolean {
  if (!session) return false;
  if (!session.permissions.has(permission)) return false;
  return mayActFor(session.userOrg, org ?? session.actingOrg);
}

/**
 * The one authorization check: the permission and the org scope, on the server.
 * Throws AuthorizationError; actions turn it into a result, pages into sign-in or 403.
 */
export function requirePermission(
  session: PortalSession | null,
  permission: Permission | null,
  scope: { org?: OrgRef } = {},
): asserts session is PortalSession {
  if (!session) throw new AuthorizationError("UNAUTHENTICATED", "Please sign in again.");
  const org = scope.org ?? session.actingOrg;
  if (!mayActFor(session.userOrg, org)) {
    throw new AuthorizationError("FORBIDDEN", "You cannot act for this organization.");
  }
  if (permission && !session.permissions.has(permission)) {
    throw new AuthorizationError("FORBIDDEN", "Your role does not allow this.");
  }
}
