import { type AuthResult, authenticate, type HeaderReader } from "@/lib/gateway/authenticate";
import { countFailure, throttled } from "@/lib/gateway/throttle";
import { isPermission, type Permission } from "@/lib/auth/permissions";
import type { ServiceContext } from "@/lib/context";
import { prisma } from "@/lib/db";
import { gatewayQuery } from "@/lib/gateway/db";
import type { Environment, MetaScope, OrgType } from "@/lib/generated/prisma/enums";
import { mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";
import { logger } from "@/lib/log";
import { consumeLimit } from "@/lib/rate-limit";
import { errorAnswer, forbidden, type KmsAnswer } from "./respond";

/**
 * Who calls the Key Management API. Authentication is the payments API's, unchanged
 * (lib/gateway/authenticate.ts: HTTP Signature or JWT, v1 and v2, the replay rules, a meta key
 * for the MIDs it covers); a refusal is the same 401, counted against the address as the
 * gateway counts it. Then the API's own rules:
 * - the key was created with "Key Management API" checked (`kmsApi`);
 * - the person who created it still exists, is enabled, and their role's permissions bound
 *   what the key may do (nobody grants what they do not hold);
 * - requests are limited per key (`kms.key`, the shared store of lib/rate-limit.ts).
 */

export const ENVIRONMENT: Environment = "TEST";

export interface KmsCaller {
  keyId: string;
  /** The org that owns the key: the API acts within it and the orgs below it. */
  owner: OrgRef;
  metaScope: MetaScope | null;
  /** The creator's org: the key never reaches beyond what they may act for. */
  creatorOrg: OrgRef;
  permissions: ReadonlySet<Permission>;
  /** Every service called for this request: the creator answers for it, the audit says "via Key Management API". */
  context(org: OrgRef): ServiceContext;
}

export interface KmsRequestMeta {
  method: string;
  pathWithQuery: string;
  headers: HeaderReader;
  body: Uint8Array;
  clientAddress: string | null;
}

const AUTHENTICATION_FAILED: KmsAnswer = { status: 401, body: { response: { rmsg: "Authentication Failed" } } };

interface Creator {
  id: string;
  disabled: boolean;
  org: OrgRef;
  permissions: string[];
}

interface CreatorRow {
  id: string;
  disabled: boolean;
  permissions: string[];
  orgId: string;
  orgType: OrgType;
  portfolioId: string | null;
  accountId: string | null;
}

const LOAD_CREATOR_SQL = `
    SELECT u."id", u."disabled", r."permissions",
           o."id" AS "orgId", o."type"::text AS "orgType", o."portfolioId", o."accountId"
      FROM "users" u
      JOIN "roles" r ON r."id" = u."roleId"
      JOIN "organizations" o ON o."id" = u."orgId"
     WHERE u."id" = $1`;

/** The key's creator as they are now (their role's current permissions): one prepared statement. */
async function loadCreator(userId: string): Promise<Creator | null> {
  const [row] = await gatewayQuery<CreatorRow>(LOAD_CREATOR_SQL, [userId]);
  if (!row) return null;
  return {
    id: row.id,
    disabled: row.disabled,
    permissions: row.permissions,
    org: { id: row.orgId, type: row.orgType, portfolioId: row.portfolioId, accountId: row.accountId },
  };
}

/** The caller, or the answer that refuses the request. */
export async function kmsCaller(req: KmsRequestMeta): Promise<KmsCaller | KmsAnswer> {
  const now = new Date();
  const limit = throttled(req.clientAddress, now.getTime());
  if (!limit.ok) return tooMany(limit.retryAfterSeconds);
  const auth: AuthResult = await authenticate(
    {
      method: req.method,
      pathWithQuery: req.pathWithQuery,
      headers: req.headers,
      body: req.body,
      clientAddress: req.clientAddress,
    },
    { environment: ENVIRONMENT, now },
  );
  if (!auth.ok) {
    logger.warn(
      { authType: auth.authType, keyId: auth.claimedKeyId, merchantId: auth.merchantId, reason: auth.reason },
      "kms: authentication refused",
    );
    const over = await countFailure(req.clientAddress, now.getTime());
    if (!over.ok) return tooMany(over.retryAfterSeconds);
    if (auth.badInput)
      return errorAnswer(400, "INVALID_DATA", "Declined - invalid header", [
        { field: auth.badInput, reason: "INVALID_DATA" },
      ]);
    return AUTHENTICATION_FAILED;
  }
  // The key's flags and owner came with its authentication (one statement, lib/gateway/keys.ts).
  const key = auth.key;
  if (!key) return AUTHENTICATION_FAILED;
  const { owner } = key;
  if (!key.kmsApi) {
    return forbidden(`Key ${key.id} may not use the Key Management API: create a key with Key Management API checked.`);
  }
  // The key's request is counted and its creator read at once (two round trips in parallel).
  const [rate, creator] = await Promise.all([
    consumeLimit("kms.key", key.id),
    key.createdById ? loadCreator(key.createdById) : null,
  ]);
  if (!rate.ok) return tooMany(rate.retryAfterSeconds);
  if (!creator || creator.disabled || !mayActFor(creator.org, owner)) {
    return forbidden(`The person who created key ${key.id} may no longer manage keys for ${owner.id}.`);
  }
  const permissions = new Set(creator.permissions.filter(isPermission));
  const ip = req.clientAddress;
  const userAgent = req.headers.get("user-agent");
  return {
    keyId: key.id,
    owner,
    metaScope: key.metaScope,
    creatorOrg: creator.org,
    permissions,
    context: (org) => ({
      actor: { actorId: creator.id, actorEmail: `via Key Management API, key ${key.id}`, ip, userAgent },
      org,
      environment: ENVIRONMENT,
      permissions,
    }),
  };
}

function tooMany(retryAfterSeconds: number): KmsAnswer {
  return errorAnswer(429, "TOO_MANY_REQUESTS", "Too many requests. Try again later.", [], {
    "retry-after": String(retryAfterSeconds),
  });
}

/** Is the caller's key allowed to act for `org`: its own org or one below it; a custom meta key only for the MIDs assigned to it. */
export async function mayManage(caller: KmsCaller, org: OrgRef): Promise<boolean> {
  if (!mayActFor(caller.owner, org) || !mayActFor(caller.creatorOrg, org)) return false;
  if (caller.metaScope !== "CUSTOM" || org.type !== "MERCHANT" || org.id === caller.owner.id) return true;
  const assigned = await prisma.metaKeyAssignment.findUnique({
    where: { keyId_mid: { keyId: caller.keyId, mid: org.id } },
    select: { mid: true },
  });
  return assigned !== null;
}
