import { headers } from "next/headers";
import { cache } from "react";
import { prisma, readRows } from "@/lib/db";
import type { Environment } from "@/lib/generated/prisma/enums";
import { clientIp } from "@/lib/http/client-ip";
import { mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";
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

/**
 * The session row with its person, their org and its MFA chain (the org, its parent and
 * grandparent with their requireMfa), their role and the org acted for, in one statement: as
 * Prisma includes it was eight queries, each with Prisma's fixed cost, on every page and action.
 */
const SESSION_SQL = `
  SELECT s."id", s."expiresAt", s."updatedAt", s."verifiedAt", s."environment"::text AS "environment",
         u."id" AS "userId", u."email", u."name", u."disabled", u."twoFactorEnabled", u."orgId",
         o."name" AS "orgName", o."type"::text AS "orgType", o."portfolioId", o."accountId",
         os."requireMfa" AS "orgRequireMfa",
         p."id" AS "parentId", ps."requireMfa" AS "parentRequireMfa",
         g."id" AS "grandparentId", gs."requireMfa" AS "grandparentRequireMfa",
         r."name" AS "roleName", r."permissions",
         a."id" AS "actingId", a."name" AS "actingName", a."type"::text AS "actingType",
         a."portfolioId" AS "actingPortfolioId", a."accountId" AS "actingAccountId"
    FROM "sessions" s
    JOIN "users" u ON u."id" = s."userId"
    JOIN "organizations" o ON o."id" = u."orgId"
    JOIN "roles" r ON r."id" = u."roleId"
    LEFT JOIN "org_settings" os ON os."orgId" = o."id"
    LEFT JOIN "organizations" p ON p."id" = o."parentId"
    LEFT JOIN "org_settings" ps ON ps."orgId" = p."id"
    LEFT JOIN "organizations" g ON g."id" = p."parentId"
    LEFT JOIN "org_settings" gs ON gs."orgId" = g."id"
    LEFT JOIN "organizations" a ON a."id" = s."actingOrgId"
   WHERE s."id" = $1`;

interface SessionRow {
  id: string;
  expiresAt: Date;
  updatedAt: Date;
  verifiedAt: Date | null;
  environment: Environment;
  userId: string;
  email: string;
  name: string;
  disabled: boolean;
  twoFactorEnabled: boolean;
  orgId: string;
  orgName: string;
  orgType: OrgRef["type"];
  portfolioId: string | null;
  accountId: string | null;
  orgRequireMfa: boolean | null;
  parentId: string | null;
  parentRequireMfa: boolean | null;
  grandparentId: string | null;
  grandparentRequireMfa: boolean | null;
  roleName: string;
  permissions: string[];
  actingId: string | null;
  actingName: string | null;
  actingType: OrgRef["type"] | null;
  actingPortfolioId: string | null;
  actingAccountId: string | null;
}

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
  const [row] = await readRows<SessionRow>(SESSION_SQL, [found.session.id]);
  const now = Date.now();
  if (!row || row.expiresAt.getTime() <= now || row.disabled || !row.verifiedAt) return null;
  if (row.updatedAt.getTime() <= now - IDLE_TIMEOUT_MINUTES * 60_000) {
    await prisma.session.deleteMany({ where: { id: row.id } });
    return null;
  }
  if (row.updatedAt.getTime() <= now - TOUCH_EVERY_MS) {
    await prisma.session.updateMany({ where: { id: row.id }, data: { updatedAt: new Date(now) } });
  }
  const userOrg: PortalOrg = {
    id: row.orgId,
    name: row.orgName,
    type: row.orgType,
    portfolioId: row.portfolioId,
    accountId: row.accountId,
  };
  const user = { id: row.userId, email: row.email, name: row.name, orgId: row.orgId };
  // Required by the person's org or an org above it; asked only of people without a second factor.
  const chain = [
    { id: row.orgId, requireMfa: row.orgRequireMfa },
    { id: row.parentId, requireMfa: row.parentRequireMfa },
    { id: row.grandparentId, requireMfa: row.grandparentRequireMfa },
  ];
  const mfaEnrollmentRequired = !row.twoFactorEnabled && chain.some((o) => o.id !== null && o.requireMfa === true);
  let actingOrg: PortalOrg = userOrg;
  if (row.actingId && row.actingId !== user.orgId) {
    const target: PortalOrg = {
      id: row.actingId,
      name: row.actingName!,
      type: row.actingType!,
      portfolioId: row.actingPortfolioId,
      accountId: row.actingAccountId,
    };
    if (mayActFor(userOrg, target)) actingOrg = target;
  }
  return {
    sessionId: row.id,
    user: { id: user.id, email: user.email, name: user.name },
    userOrg,
    actingOrg,
    roleName: row.roleName,
    // Until the required second factor is enrolled, no permission holds (defineAction and
    // requirePageSession also send the person to the Security page).
    permissions: new Set(mfaEnrollmentRequired ? [] : row.permissions.filter(isPermission)),
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
