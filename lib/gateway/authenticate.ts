import { createSecretKey, X509Certificate } from "node:crypto";
import { environmentCredentials, type EnvironmentCredentials } from "@/lib/crypto/environment";
import { prisma } from "@/lib/db";
import { gatewayQuery } from "./db";
import type { Environment, KeyType, MetaScope, OrgType } from "@/lib/generated/prisma/enums";
import { readSecret } from "@/lib/keys/secret-keys";
import { keyStatus } from "@/lib/keys/status";
import { acceptsScheme, RESPONSE_MLE_TYPES } from "@/lib/keys/types";
import { mayActFor } from "@/lib/orgs/hierarchy";
import { ownGatewayHost } from "./client";
import { bodyDigestHeader, parseSignatureHeader, signingString, verifyHmacSignature } from "./http-signature";
import {
  type CaCertificates,
  caCertificates,
  chainsToCa,
  jwtClaimsProblem,
  readJwtHeader,
  subjectSerialNumber,
  verifyJwtSignature,
} from "./jwt";

/**
 * The test gateway's authentication (G1–G3): HTTP Signature or JSON Web Token, then the key
 * rules — the key exists, is not deleted, deactivated or expired, is of this environment and
 * of a type usable for the scheme, and may act for the transacting MID (its own key, or a
 * meta key of its portfolio/account that covers it). Every refusal carries its real reason
 * for the log and the transaction row; the caller answers all of them with the same 401.
 */
/** What the gateway reads of the headers: a `Headers`, or a thin view of node:http's. */
export interface HeaderReader {
  /** The value of a header, by lower-case name; null when absent. */
  get(name: string): string | null;
  has(name: string): boolean;
}

export interface GatewayRequest {
  method: string;
  /** Path and query as received, e.g. `/pts/v2/payments`. */
  pathWithQuery: string;
  headers: HeaderReader;
  /** The raw body bytes, as sent (the digest covers these). */
  body: Uint8Array;
}

export interface GatewayOptions {
  environment: Environment;
  /** Host names (host[:port]) the gateway answers to, besides the defaults. */
  acceptedHosts?: Iterable<string>;
  now?: Date;
}

/** How a request authenticated: REST (HTTP Signature, JWT), Simple Order (XML Signature), SOAP Toolkit (UsernameToken). */
export type AuthType = "http_signature" | "jwt" | "simple_order" | "soap_toolkit" | "none";

/** The merchant's REST – API Response MLE key that the response is encrypted to. */
export interface ResponseMleKey {
  keyId: string;
  certificatePem: string;
}

interface Common {
  authType: AuthType;
  keyId: string | null;
  /** The transacting MID (v-c-merchant-id), "" when the request named none. */
  merchantId: string;
  /** The portfolio/account that owns the key when a meta key signed. */
  metaKeyOwner: string | null;
  responseMle: ResponseMleKey | null;
}
export type AuthResult = (Common & { ok: true; keyId: string }) | (Common & { ok: false; reason: string });

/** Signed `date` and JWT `iat` may be this far from the gateway's clock. */
export const MAX_DATE_SKEW_MS = 5 * 60 * 1000;

const PUBLIC_HOST: Record<Environment, string> = {
  TEST: "apitest.cybersource.com",
  PRODUCTION: "api.cybersource.com",
};

/** apitest.cybersource.com (what the SDK signs), this server's own host, and KEYCENTER_GATEWAY_HOSTS. */
export function acceptedHosts(environment: Environment, extra: Iterable<string> = []): Set<string> {
  const key = `${environment}|${[...extra].join(",")}|${process.env.KEYCENTER_GATEWAY_HOSTS ?? ""}`;
  let hosts = hostSets.get(key);
  if (!hosts) {
    hosts = computeAcceptedHosts(environment, extra);
    if (hostSets.size > 100) hostSets.clear();
    hostSets.set(key, hosts);
  }
  return hosts;
}
const hostSets = new Map<string, Set<string>>();

function computeAcceptedHosts(environment: Environment, extra: Iterable<string>): Set<string> {
  const hosts = new Set<string>([PUBLIC_HOST[environment], ownGatewayHost()]);
  for (const url of [process.env.BETTER_AUTH_URL, process.env.KEYCENTER_URL]) {
    if (url) {
      try {
        hosts.add(new URL(url).host);
      } catch {
        // not a URL: ignored
      }
    }
  }
  for (const h of (process.env.KEYCENTER_GATEWAY_HOSTS ?? "").split(",")) if (h.trim()) hosts.add(h.trim());
  for (const h of extra) hosts.add(h);
  return new Set([...hosts].map((h) => h.toLowerCase()));
}

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
}

const LOAD_KEY_SQL = `
    SELECT k."id", k."type"::text AS "type", k."environment"::text AS "environment", k."orgId",
           k."expiresAt", k."deactivatedAt", k."deletedAt", k."metaScope"::text AS "metaScope",
           k."secretCiphertext", k."certificatePem",
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

/**
 * The key rules after the signature checked out, for every scheme (REST, Simple Order, SOAP):
 * the reason for a refusal, or null. A meta key acts for a transacting MID below its owner
 * that it covers, while the owner has the meta-key feature on.
 */
export function keyProblem(row: KeyRow, mid: string, environment: Environment, now: Date): string | null {
  if (row.deletedAt) return "key deleted";
  if (row.environment !== environment) return `key of the ${row.environment} environment`;
  if (row.deactivatedAt) return "key deactivated";
  if (keyStatus(row, now) !== "Active" || row.expiresAt <= now) return "key expired";
  if (!row.midId || !row.midType) return `unknown merchant ID ${mid}`;
  if (row.midType !== "MERCHANT") return `${mid} is not a transacting merchant ID`;
  if (row.midStatus !== "ACTIVE") return `merchant ID ${mid} is inactive`;
  if (!row.metaScope) return row.orgId === mid ? null : `key belongs to ${row.orgId}, not ${mid}`;
  const owner = {
    id: row.orgId,
    type: row.ownerType,
    portfolioId: row.ownerPortfolioId,
    accountId: row.ownerAccountId,
  };
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

/** Authenticates one gateway request. Never throws for a bad request; database errors propagate. */
export async function authenticate(req: GatewayRequest, opts: GatewayOptions): Promise<AuthResult> {
  const now = opts.now ?? new Date();
  const hosts = acceptedHosts(opts.environment, opts.acceptedHosts);
  const authorization = req.headers.get("authorization");
  if (authorization && /^bearer\s+/i.test(authorization)) {
    return authenticateJwt(req, opts.environment, authorization.replace(/^bearer\s+/i, "").trim(), hosts, now);
  }
  if (req.headers.has("signature")) return authenticateHttpSignature(req, opts.environment, hosts, now);
  return refused({ authType: "none", merchantId: req.headers.get("v-c-merchant-id") ?? "" }, "no credentials");
}

export function refused(
  c: Partial<Common> & { authType: AuthType; merchantId: string },
  reason: string,
): AuthResult & { ok: false } {
  return { ok: false, keyId: null, metaKeyOwner: null, responseMle: null, ...c, reason };
}

const hasBody = (method: string) => ["POST", "PUT", "PATCH"].includes(method.toUpperCase());

async function authenticateHttpSignature(
  req: GatewayRequest,
  environment: Environment,
  hosts: Set<string>,
  now: Date,
): Promise<AuthResult> {
  const merchantId = req.headers.get("v-c-merchant-id") ?? "";
  const base = { authType: "http_signature" as const, merchantId };
  const params = parseSignatureHeader(req.headers.get("signature"));
  if (!params) return refused(base, "malformed signature header");
  const at = { ...base, keyId: params.keyId };
  if (params.algorithm.toLowerCase() !== "hmacsha256") return refused(at, `unsupported algorithm ${params.algorithm}`);
  const required = ["host", "date", "request-target", "v-c-merchant-id", ...(hasBody(req.method) ? ["digest"] : [])];
  const missing = required.filter((h) => !params.headers.includes(h) && !params.headers.includes(`(${h})`));
  if (missing.length) return refused(at, `signature does not cover ${missing.join(", ")}`);
  if (!merchantId) return refused(at, "no v-c-merchant-id header");
  const host = (req.headers.get("host") ?? "").toLowerCase();
  if (!hosts.has(host)) return refused(at, `host ${host} is not this gateway`);
  const date = Date.parse(req.headers.get("date") ?? "");
  if (!Number.isFinite(date)) return refused(at, "no valid date header");
  if (Math.abs(now.getTime() - date) > MAX_DATE_SKEW_MS) return refused(at, "date header is not within 5 minutes");
  if (hasBody(req.method) && req.headers.get("digest") !== bodyDigestHeader(req.body)) {
    return refused(at, "digest does not match the body");
  }
  const row = await loadKey(params.keyId, merchantId);
  if (!row) return refused(at, "unknown key");
  const withKey = { ...at, metaKeyOwner: row.metaScope ? row.orgId : null };
  if (!acceptsScheme(row.type, "http_signature"))
    return refused(withKey, `${row.type} key cannot sign HTTP signatures`);
  const signed = signingString({
    headerNames: params.headers,
    method: req.method,
    pathWithQuery: req.pathWithQuery,
    header: (name) => req.headers.get(name),
    signedMerchantId: row.metaScope ? row.orgId : merchantId,
  });
  if (signed === null) return refused(withKey, "a signed header is missing");
  let secret: string;
  try {
    secret = readSecret(row);
  } catch {
    return refused(withKey, "key has no usable shared secret");
  }
  if (!verifyHmacSignature(secret, signed, params.signature)) return refused(withKey, "signature does not match");
  const problem = keyProblem(row, merchantId, environment, now);
  if (problem) return refused(withKey, problem);
  return { ok: true, ...withKey, keyId: row.id, responseMle: null };
}

async function authenticateJwt(
  req: GatewayRequest,
  environment: Environment,
  token: string,
  hosts: Set<string>,
  now: Date,
): Promise<AuthResult> {
  const header = readJwtHeader(token);
  const headerMid = req.headers.get("v-c-merchant-id") ?? header?.merchantId ?? "";
  const base = { authType: "jwt" as const, merchantId: headerMid };
  if (!header) return refused(base, "malformed JWT");
  if (header.alg !== "RS256" && header.alg !== "HS256") return refused(base, `unsupported JWT algorithm ${header.alg}`);

  // Which key: the kid, or (older SDKs) the subject serialNumber of the x5c certificate.
  let x5c: X509Certificate | null = null;
  let keyId = header.kid;
  if (header.alg === "RS256" && header.x5c?.length) {
    try {
      x5c = new X509Certificate(Buffer.from(header.x5c[0]!, "base64"));
    } catch {
      return refused(base, "unreadable x5c certificate");
    }
    keyId = subjectSerialNumber(x5c);
    if (header.kid && header.kid !== keyId) return refused(base, "kid and x5c certificate differ");
  }
  if (!keyId) return refused(base, "JWT names no key");
  const at = { ...base, keyId };
  let row = await loadKey(keyId, headerMid);
  if (!row) return refused(at, "unknown key");
  let withKey = { ...at, metaKeyOwner: row.metaScope ? row.orgId : null };
  if (!acceptsScheme(row.type, `jwt-${header.alg}`))
    return refused(withKey, `${row.type} key cannot sign ${header.alg} JWTs`);

  let claims: Record<string, unknown> | null;
  if (header.alg === "RS256") {
    const stored = await keyCertificate(row, x5c && { certificate: x5c, name: "x5c certificate" }, environment, now);
    if ("reason" in stored) return refused(withKey, stored.reason);
    claims = await verifyJwtSignature(token, "RS256", stored.certificate.publicKey);
  } else {
    let secret: string;
    try {
      secret = readSecret(row);
    } catch {
      return refused(withKey, "key has no usable shared secret");
    }
    claims = await verifyJwtSignature(token, "HS256", createSecretKey(Buffer.from(secret, "base64")));
  }
  if (!claims) return refused(withKey, "JWT signature does not verify");

  const claimMid = typeof claims["v-c-merchant-id"] === "string" ? claims["v-c-merchant-id"] : null;
  if (claimMid && headerMid && claimMid !== headerMid) {
    return refused(withKey, "v-c-merchant-id header and claim differ");
  }
  const merchantId = claimMid ?? headerMid;
  withKey = { ...withKey, merchantId };
  if (!merchantId) return refused(withKey, "no merchant ID");
  if (merchantId !== headerMid) {
    row = await loadKey(keyId, merchantId);
    if (!row) return refused(withKey, "unknown key");
  }
  const problem = jwtClaimsProblem(claims, {
    method: req.method,
    pathWithQuery: req.pathWithQuery,
    body: req.body,
    acceptedHosts: hosts,
    now,
  });
  if (problem) return refused(withKey, problem);
  if (claims.iss !== undefined && claims.iss !== row.orgId) return refused(withKey, "JWT iss is not the key's owner");

  // Response MLE: only once the token is known to be genuine.
  let responseMle: ResponseMleKey | null = null;
  const mleKid = claims["v-c-response-mle-kid"];
  if (mleKid !== undefined) {
    const mle = typeof mleKid === "string" && mleKid ? await prisma.key.findUnique({ where: { id: mleKid } }) : null;
    if (
      !mle ||
      !RESPONSE_MLE_TYPES.includes(mle.type) ||
      mle.environment !== environment ||
      keyStatus(mle, now) !== "Active" ||
      !mle.certificatePem ||
      (mle.orgId !== merchantId && mle.orgId !== row.orgId)
    ) {
      return refused(withKey, `response MLE key ${String(mleKid)} is not an active key of ${merchantId}`);
    }
    responseMle = { keyId: mle.id, certificatePem: mle.certificatePem };
  }
  const rule = keyProblem(row, merchantId, environment, now);
  if (rule) return refused({ ...withKey, responseMle }, rule);
  return { ok: true, ...withKey, keyId: row.id, responseMle };
}
