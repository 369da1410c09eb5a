import { X509Certificate } from "node:crypto";
import { environmentCredentials, type EnvironmentCredentials } from "@/lib/crypto/environment";
import type { Environment, KeyType, MetaScope, OrgType } from "@/lib/generated/prisma/enums";
import { keyStatus } from "@/lib/keys/status";
import { mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";
import { gatewayQuery } from "./db";
import { type CaCertificates, caCertificates, chainsToCa } from "./jwt";

/**
 * The gateway's keys, for every endpoint (REST, Simple Order, SOAP Toolkit, Secure Acceptance):
 * the key row and what the rules need about its owner and the transacting MID in one prepared
 * statement (`loadKey`), the key rules (`keyProblem`: deleted, environment, deactivated,
 * expired, the MID, meta-key coverage) and a certificate key's certificate (`keyCertificate`).
 * Each returns the reason of a refusal for the log and the transaction row.
 */

/** A key with what the rules need about its owner and the transacting MID, in one query. */
export interface KeyRow {
  id: string;
  type: KeyType;
  environment: Environment;
  orgId: string;
  expiresAt: Date;
  deactivatedAt: Date | null;
  deletedAt: Date | null;
  metaScope: MetaScope | null;
  secretCiphertext: Uint8Array<ArrayBuffer> | null;
  certificatePem: string | null;
  ownerType: OrgType;
  ownerPortfolioId: string | null;
  ownerAccountId: string | null;
  metaKeysEnabled: boolean;
  midId: string | null;
  midType: OrgType | null;
  midStatus: string | null;
  midPortfolioId: string | null;
  midAccountId: string | null;
  assigned: boolean;
  /** Created with "Key Management API" checked (lib/kms/auth.ts). */
  kmsApi: boolean;
  createdById: string | null;
}

const LOAD_KEY_SQL = `
    SELECT k."id", k."type"::text AS "type", k."environment"::text AS "environment", k."orgId",
           k."expiresAt", k."deactivatedAt", k."deletedAt", k."metaScope"::text AS "metaScope",
           k."secretCiphertext", k."certificatePem", k."kmsApi", k."createdById",
           o."type"::text AS "ownerType", o."portfolioId" AS "ownerPortfolioId", o."accountId" AS "ownerAccountId",
           COALESCE(s."metaKeysEnabled", true) AS "metaKeysEnabled",
           m."id" AS "midId", m."type"::text AS "midType", m."status"::text AS "midStatus",
           m."portfolioId" AS "midPortfolioId", m."accountId" AS "midAccountId",
           EXISTS (SELECT 1 FROM "meta_key_assignments" a WHERE a."keyId" = k."id" AND a."mid" = $2) AS "assigned"
      FROM "keys" k
      JOIN "organizations" o ON o."id" = k."orgId"
      LEFT JOIN "org_settings" s ON s."orgId" = k."orgId"
      LEFT JOIN "organizations" m ON m."id" = $2
     WHERE k."id" = $1`;

/** The key and everything the rules need about its owner and `mid`: one prepared statement. */
export async function loadKey(keyId: string, mid: string): Promise<KeyRow | null> {
  const rows = await gatewayQuery<KeyRow>(LOAD_KEY_SQL, [keyId, mid]);
  return rows[0] ?? null;
}

/** The org that owns the key, as the hierarchy rules take it. */
export function keyOwner(row: Pick<KeyRow, "orgId" | "ownerType" | "ownerPortfolioId" | "ownerAccountId">): OrgRef {
  return { id: row.orgId, type: row.ownerType, portfolioId: row.ownerPortfolioId, accountId: row.ownerAccountId };
}

/**
 * The key rules after the signature checked out, for every scheme (REST, Simple Order, SOAP):
 * the reason for a refusal, or null. A meta key acts for a transacting MID below its owner
 * that it covers, while the owner has the meta-key feature on.
 */
export function keyProblem(row: KeyRow, mid: string, environment: Environment, now: Date): string | null {
  if (row.deletedAt) return "key deleted";
  if (row.environment !== environment) return `key of the ${row.environment} environment`;
  if (row.deactivatedAt) return "key deactivated";
  if (keyStatus(row, now) !== "Active") return "key expired";
  if (!row.midId || !row.midType) return `unknown merchant ID ${mid}`;
  if (row.midType !== "MERCHANT") return `${mid} is not a transacting merchant ID`;
  if (row.midStatus !== "ACTIVE") return `merchant ID ${mid} is inactive`;
  if (!row.metaScope) return row.orgId === mid ? null : `key belongs to ${row.orgId}, not ${mid}`;
  const owner = keyOwner(row);
  const target = { id: row.midId, type: row.midType, portfolioId: row.midPortfolioId, accountId: row.midAccountId };
  if (owner.type === "MERCHANT") return "meta key owned by a transacting merchant ID";
  if (!row.metaKeysEnabled) return `meta keys are turned off for ${row.orgId}`;
  if (!mayActFor(owner, target)) return `${mid} is not below the meta key owner ${row.orgId}`;
  if (row.metaScope !== "ALL" && !row.assigned) return `meta key not assigned to ${mid}`;
  return null;
}

/** Per credentials object (one per environment and process, see lib/crypto/environment.ts). */
const caCache = new WeakMap<EnvironmentCredentials, CaCertificates>();
async function caOf(environment: Environment): Promise<CaCertificates> {
  const creds = await environmentCredentials(environment);
  let ca = caCache.get(creds);
  if (!ca) {
    ca = caCertificates(creds.issuingCa.certificatePem, creds.rootCa.certificatePem);
    caCache.set(creds, ca);
  }
  return ca;
}

/**
 * The key's certificate, when it chains to the environment's CA (valid now) and the certificate
 * the request presented (a JWT's x5c, a Simple Order BinarySecurityToken), if any, is that very
 * certificate; otherwise the reason for a refusal.
 */
export async function keyCertificate(
  row: Pick<KeyRow, "certificatePem">,
  presented: { certificate: X509Certificate; name: string } | null,
  environment: Environment,
  now: Date,
): Promise<{ certificate: X509Certificate } | { reason: string }> {
  if (!row.certificatePem) return { reason: "key has no certificate" };
  const stored = new X509Certificate(row.certificatePem);
  if (presented && !presented.certificate.raw.equals(stored.raw)) {
    return { reason: `${presented.name} is not the key's certificate` };
  }
  if (!chainsToCa(stored, await caOf(environment), now)) {
    return { reason: "certificate does not chain to this environment's CA" };
  }
  return { certificate: stored };
}
