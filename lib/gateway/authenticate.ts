import { createSecretKey, X509Certificate } from "node:crypto";
import { prisma } from "@/lib/db";
import type { Environment } from "@/lib/generated/prisma/enums";
import { readSecret } from "@/lib/keys/secret-keys";
import { keyStatus } from "@/lib/keys/status";
import { acceptsScheme, RESPONSE_MLE_TYPES } from "@/lib/keys/types";
import { mayActFor } from "@/lib/orgs/hierarchy";
import { ownGatewayHost } from "./client";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { keyCertificate, keyOwner, keyProblem, type KeyRow, loadKey } from "./keys";

import { capText, cleanText, MAX_ID_CHARS, unclean } from "./input";
import { claimJti } from "./replay";
import { bodyDigestHeader, parseSignatureHeader, signingString, verifyHmacSignature } from "./http-signature";
import { jwtClaimsProblem, readJwtHeader, subjectSerialNumber, tokenAcceptedUntil, verifyJwtSignature } from "./jwt";

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
  /** The client's address (lib/auth/session.ts clientIp), for the failure rate limit; null when unknown. */
  clientAddress?: string | null;
}

export interface GatewayOptions {
  environment: Environment;
  /** Host names (host[:port]) the gateway answers to, besides the defaults. */
  acceptedHosts?: Iterable<string>;
  now?: Date;
}

/**
 * How a request authenticated: REST (HTTP Signature, JWT), Simple Order (XML Signature), SOAP
 * Toolkit (UsernameToken), Secure Acceptance (a signed checkout form).
 */
export type AuthType = "http_signature" | "jwt" | "simple_order" | "soap_toolkit" | "secure_acceptance" | "none";

/** The merchant's REST – API Response MLE key that the response is encrypted to. */
export interface ResponseMleKey {
  keyId: string;
  certificatePem: string;
}

interface Common {
  authType: AuthType;
  /** The key's ID, once the request named a key that exists; null before that and for a made-up one. */
  keyId: string | null;
  /** The key ID as the request named it (capped), for the log; null when it named none. */
  claimedKeyId: string | null;
  /** The transacting MID (v-c-merchant-id) as the request named it, "" when it named none. */
  merchantId: string;
  /**
   * Whose Transactions show the request: the MID once it authenticated; for a refusal, only an
   * org whose real key the request named (see `attribution`); null: no tenant, visible to no one.
   */
  tenant: string | null;
  /** The portfolio/account that owns the key when a meta key was named. */
  metaKeyOwner: string | null;
  responseMle: ResponseMleKey | null;
}
/**
 * What the Key Management API needs of an authenticated REST key (lib/kms/auth.ts), read by the
 * same statement that authenticated it: no second read of the key. No secret in it.
 */
export type KeyFacts = Pick<KeyRow, "id" | "kmsApi" | "createdById" | "metaScope"> & { owner: OrgRef };

export type AuthResult =
  | (Common & { ok: true; keyId: string; key?: KeyFacts })
  | (Common & {
      ok: false;
      reason: string;
      /** Input no client sends (NUL, lone surrogates, oversized values): answered 400, not 401. */
      badInput?: string;
    });

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

/** Authenticates one gateway request. Never throws for a bad request; database errors propagate. */
export async function authenticate(req: GatewayRequest, opts: GatewayOptions): Promise<AuthResult> {
  const now = opts.now ?? new Date();
  const hosts = acceptedHosts(opts.environment, opts.acceptedHosts);
  const authorization = req.headers.get("authorization");
  if (authorization && /^bearer\s+/i.test(authorization)) {
    return authenticateJwt(req, opts.environment, authorization.replace(/^bearer\s+/i, "").trim(), hosts, now);
  }
  if (req.headers.has("signature")) return authenticateHttpSignature(req, opts.environment, hosts, now);
  const merchantId = capText(req.headers.get("v-c-merchant-id") ?? "", MAX_ID_CHARS);
  return refused({ authType: "none", merchantId }, "no credentials");
}

export function refused(
  c: Partial<Common> & { authType: AuthType; merchantId: string },
  reason: string,
): AuthResult & { ok: false } {
  return {
    ok: false,
    keyId: null,
    claimedKeyId: null,
    tenant: null,
    metaKeyOwner: null,
    responseMle: null,
    ...c,
    merchantId: capText(c.merchantId, MAX_ID_CHARS),
    reason,
  };
}

/** A refusal of input no client sends (answered 400); `field` names the header, claim or field. */
export function badInput(
  c: Partial<Common> & { authType: AuthType; merchantId: string },
  field: string,
  reason: string,
): AuthResult & { ok: false } {
  return { ...refused(c, reason), badInput: field };
}

/**
 * Whom a request naming the key `row` for the transacting MID `mid` is shown to: the key's own
 * org for a key of its own, the MID for a meta key whose owner is above the MID (and the owner
 * through metaKeyOwner). A request naming a made-up key has no tenant at all.
 */
export function attribution(row: KeyRow, mid: string): Pick<Common, "keyId" | "tenant" | "metaKeyOwner"> {
  if (!row.metaScope) return { keyId: row.id, tenant: row.orgId, metaKeyOwner: null };
  const owner = {
    id: row.orgId,
    type: row.ownerType,
    portfolioId: row.ownerPortfolioId,
    accountId: row.ownerAccountId,
  };
  const below =
    row.midId !== null &&
    row.midType === "MERCHANT" &&
    mayActFor(owner, {
      id: row.midId,
      type: row.midType,
      portfolioId: row.midPortfolioId,
      accountId: row.midAccountId,
    });
  return { keyId: row.id, tenant: below && mid === row.midId ? mid : null, metaKeyOwner: row.orgId };
}

const hasBody = (method: string) => ["POST", "PUT", "PATCH"].includes(method.toUpperCase());

/** A `signature` header longer than this is not the SDK's (its own is about 200 characters). */
const MAX_SIGNATURE_HEADER_CHARS = 4096;

/**
 * The opened shared secrets of keys this process has verified, by key ID and sealed value:
 * opening one (AES-256-GCM) was a tenth of a payment's CPU. The key row is still read and
 * checked on every request (status, expiry, assignment), so a deactivated or deleted key is
 * refused at once; a re-sealed value (master-key rotation) is a new entry. Bounded; plaintext
 * stays in this process's memory only, as it does while a request is verified.
 */
const openedSecrets = new Map<string, { sealed: Uint8Array; secret: string }>();
const OPENED_SECRETS_MAX = 1000;

function sharedSecretOf(row: KeyRow): string {
  if (!row.secretCiphertext) return readSecret(row);
  const cached = openedSecrets.get(row.id);
  if (cached && Buffer.compare(cached.sealed, row.secretCiphertext) === 0) return cached.secret;
  const secret = readSecret(row);
  if (openedSecrets.size >= OPENED_SECRETS_MAX) openedSecrets.clear();
  openedSecrets.set(row.id, { sealed: row.secretCiphertext, secret });
  return secret;
}

async function authenticateHttpSignature(
  req: GatewayRequest,
  environment: Environment,
  hosts: Set<string>,
  now: Date,
): Promise<AuthResult> {
  const merchantId = req.headers.get("v-c-merchant-id") ?? "";
  const base = { authType: "http_signature" as const, merchantId };
  if (unclean(merchantId, MAX_ID_CHARS)) return badInput(base, "v-c-merchant-id", "v-c-merchant-id is not an ID");
  const header = req.headers.get("signature") ?? "";
  if (header.length > MAX_SIGNATURE_HEADER_CHARS) return badInput(base, "signature", "signature header too large");
  const params = parseSignatureHeader(header);
  if (!params) return refused(base, "malformed signature header");
  const at = { ...base, claimedKeyId: capText(params.keyId, MAX_ID_CHARS) };
  if (unclean(params.keyId, MAX_ID_CHARS)) return badInput(at, "signature", "signature keyid is not an ID");
  // The key first (one indexed read): a refusal is shown only to the org whose real key was named.
  const row = await loadKey(params.keyId, merchantId);
  const withKey = {
    ...at,
    ...(row ? attribution(row, merchantId) : { keyId: null, tenant: null, metaKeyOwner: null }),
  };
  if (params.algorithm.toLowerCase() !== "hmacsha256") {
    return refused(withKey, `unsupported algorithm ${capText(params.algorithm, 40)}`);
  }
  const required = ["host", "date", "request-target", "v-c-merchant-id", ...(hasBody(req.method) ? ["digest"] : [])];
  const missing = required.filter((h) => !params.headers.includes(h) && !params.headers.includes(`(${h})`));
  if (missing.length) return refused(withKey, `signature does not cover ${missing.join(", ")}`);
  if (!merchantId) return refused(withKey, "no v-c-merchant-id header");
  const host = (req.headers.get("host") ?? "").toLowerCase();
  if (!hosts.has(host)) return refused(withKey, `host ${capText(host, 100)} is not this gateway`);
  const date = Date.parse((req.headers.get("date") ?? "").slice(0, 100));
  if (!Number.isFinite(date)) return refused(withKey, "no valid date header");
  if (Math.abs(now.getTime() - date) > MAX_DATE_SKEW_MS) return refused(withKey, "date header is not within 5 minutes");
  if (hasBody(req.method) && req.headers.get("digest") !== bodyDigestHeader(req.body)) {
    return refused(withKey, "digest does not match the body");
  }
  if (!row) return refused(withKey, "unknown key");
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
    secret = sharedSecretOf(row);
  } catch {
    return refused(withKey, "key has no usable shared secret");
  }
  if (!verifyHmacSignature(secret, signed, params.signature)) return refused(withKey, "signature does not match");
  const problem = keyProblem(row, merchantId, environment, now);
  if (problem) return refused(withKey, problem);
  return { ok: true, ...withKey, keyId: row.id, key: keyFacts(row), tenant: merchantId, responseMle: null };
}

function keyFacts(row: KeyRow): KeyFacts {
  return {
    id: row.id,
    kmsApi: row.kmsApi,
    createdById: row.createdById,
    metaScope: row.metaScope,
    owner: keyOwner(row),
  };
}

/** A bearer token longer than this is not the SDK's (its RS256 tokens are under 2 KiB; x5c ones 4 KiB). */
const MAX_TOKEN_CHARS = 16 * 1024;
/** A `jti` longer than this is not an SDK's (they send a UUID). */
const MAX_JTI_CHARS = 128;

async function authenticateJwt(
  req: GatewayRequest,
  environment: Environment,
  token: string,
  hosts: Set<string>,
  now: Date,
): Promise<AuthResult> {
  const header = token.length <= MAX_TOKEN_CHARS ? readJwtHeader(token) : null;
  const headerMid = req.headers.get("v-c-merchant-id") ?? header?.merchantId ?? "";
  const base = { authType: "jwt" as const, merchantId: headerMid };
  if (token.length > MAX_TOKEN_CHARS) return badInput(base, "authorization", "bearer token too large");
  if (unclean(headerMid, MAX_ID_CHARS)) return badInput(base, "v-c-merchant-id", "v-c-merchant-id is not an ID");
  if (!header) return refused(base, "malformed JWT");
  if (header.alg !== "RS256" && header.alg !== "HS256") {
    return refused(base, `unsupported JWT algorithm ${capText(header.alg, 40)}`);
  }

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
  const at = { ...base, claimedKeyId: capText(keyId, MAX_ID_CHARS) };
  if (unclean(keyId, MAX_ID_CHARS)) return badInput(at, "kid", "JWT kid is not an ID");
  let row = await loadKey(keyId, headerMid);
  if (!row) return refused(at, "unknown key");
  let withKey = { ...at, ...attribution(row, headerMid) };
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
  if (unclean(claimMid, MAX_ID_CHARS))
    return badInput(withKey, "v-c-merchant-id", "v-c-merchant-id claim is not an ID");
  if (claimMid && headerMid && claimMid !== headerMid) {
    return refused(withKey, "v-c-merchant-id header and claim differ");
  }
  const merchantId = claimMid ?? headerMid;
  withKey = { ...withKey, merchantId };
  if (!merchantId) return refused(withKey, "no merchant ID");
  if (merchantId !== headerMid) {
    row = await loadKey(keyId, merchantId);
    if (!row) return refused(withKey, "unknown key");
    withKey = { ...withKey, ...attribution(row, merchantId) };
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
  const jti = claims.jti;
  if (jti !== undefined && (typeof jti !== "string" || !cleanText(jti, MAX_JTI_CHARS))) {
    return badInput(withKey, "jti", `JWT jti is not a string of 1 to ${MAX_JTI_CHARS} characters`);
  }

  // Response MLE: only once the token is known to be genuine.
  let responseMle: ResponseMleKey | null = null;
  const mleKid = claims["v-c-response-mle-kid"];
  if (mleKid !== undefined) {
    const mleId = typeof mleKid === "string" ? cleanText(mleKid, MAX_ID_CHARS) : null;
    const mle = mleId ? await prisma.key.findUnique({ where: { id: mleId } }) : null;
    if (
      !mle ||
      !RESPONSE_MLE_TYPES.includes(mle.type) ||
      mle.environment !== environment ||
      keyStatus(mle, now) !== "Active" ||
      !mle.certificatePem ||
      (mle.orgId !== merchantId && mle.orgId !== row.orgId)
    ) {
      return refused(
        withKey,
        `response MLE key ${capText(String(mleKid), MAX_ID_CHARS)} is not an active key of ${merchantId}`,
      );
    }
    responseMle = { keyId: mle.id, certificatePem: mle.certificatePem };
  }
  const rule = keyProblem(row, merchantId, environment, now);
  if (rule) return refused({ ...withKey, responseMle }, rule);
  // Last, once everything else holds: a jti is used once within the token's lifetime.
  if (typeof jti === "string" && !(await claimJti(row.id, jti, tokenAcceptedUntil(claims, now)))) {
    return refused({ ...withKey, responseMle }, "JWT jti already used (replay)");
  }
  return { ok: true, ...withKey, keyId: row.id, key: keyFacts(row), tenant: merchantId, responseMle };
}
