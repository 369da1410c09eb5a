import { createHash, type KeyObject, X509Certificate } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";

/**
 * JSON Web Token authentication as the official Cybersource REST SDKs send it
 * (../shared/CYBERSOURCE-SDK.md): RS256 with `kid` = the certificate's subject serialNumber
 * (the KeyCenter key ID), the older RS256 form with an `x5c` certificate (SDK ≤ 0.0.76), and
 * HS256 with `kid` = a shared-secret key ID. Signature first (jose), then the claims here.
 */
export interface JwtHeader {
  alg: string;
  kid: string | null;
  /** Base64 DER certificates of the older form. */
  x5c: string[] | null;
  /** The older form carries the merchant ID in the protected header. */
  merchantId: string | null;
}

/** The token's protected header, or null when it is not a JWS at all. */
export function readJwtHeader(token: string): JwtHeader | null {
  try {
    const h = decodeProtectedHeader(token) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" && v ? v : null);
    const x5c = Array.isArray(h.x5c) && h.x5c.every((c) => typeof c === "string") ? (h.x5c as string[]) : null;
    if (typeof h.alg !== "string") return null;
    return { alg: h.alg, kid: str(h.kid), x5c, merchantId: str(h["v-c-merchant-id"]) };
  } catch {
    return null;
  }
}

/** Verifies the signature with `key` for exactly `alg`; returns the claims, or null. */
export async function verifyJwtSignature(
  token: string,
  alg: "RS256" | "HS256",
  key: KeyObject,
): Promise<Record<string, unknown> | null> {
  try {
    const { payload } = await compactVerify(token, key, { algorithms: [alg] });
    const claims: unknown = JSON.parse(Buffer.from(payload).toString("utf8"));
    return claims && typeof claims === "object" && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The subject attribute serialNumber (OID 2.5.4.5): a KeyCenter certificate key's key ID. */
export function subjectSerialNumber(cert: X509Certificate): string | null {
  for (const line of cert.subject.split("\n")) {
    if (line.startsWith("serialNumber=")) return line.slice("serialNumber=".length);
  }
  return null;
}

/** The environment's CA, parsed once per certificate text. */
export interface CaCertificates {
  issuing: X509Certificate;
  root: X509Certificate;
  /** The issuing CA is issued and signed by the root: checked once, in `caCertificates`. */
  issuingSignedByRoot: boolean;
}

/** The environment's CA pair, parsed, with the root→issuing signature checked once. */
export function caCertificates(issuingPem: string, rootPem: string): CaCertificates {
  const issuing = new X509Certificate(issuingPem);
  const root = new X509Certificate(rootPem);
  let issuingSignedByRoot = false;
  try {
    issuingSignedByRoot = issuing.checkIssued(root) && issuing.verify(root.publicKey);
  } catch {
    // unreadable key: not signed by the root
  }
  return { issuing, root, issuingSignedByRoot };
}

function within(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now < new Date(cert.validTo);
}

/** Does `leaf` chain to the environment's issuing CA and root CA, all valid at `now`? */
export function chainsToCa(leaf: X509Certificate, ca: CaCertificates, now: Date): boolean {
  try {
    return (
      within(leaf, now) &&
      within(ca.issuing, now) &&
      leaf.checkIssued(ca.issuing) &&
      leaf.verify(ca.issuing.publicKey) &&
      ca.issuingSignedByRoot
    );
  } catch {
    return false;
  }
}

/** Allowed clock difference between the client and the gateway. */
export const CLOCK_SKEW_SECONDS = 60;
/** How old a token's `iat` may be. */
export const MAX_TOKEN_AGE_SECONDS = 5 * 60;

function epochSeconds(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim()) {
    // The older SDKs send iat as a date string.
    const n = /^\d+$/.test(v.trim()) ? Number(v) * 1000 : Date.parse(v);
    return Number.isFinite(n) ? n / 1000 : null;
  }
  return null;
}

/**
 * Until when a token with these (checked) claims could be accepted: `iat` plus the allowed age,
 * plus the skew. A `jti` is remembered that long (replay.ts).
 */
export function tokenAcceptedUntil(claims: Record<string, unknown>, now: Date): Date {
  const iat = epochSeconds(claims.iat) ?? now.getTime() / 1000;
  return new Date((iat + MAX_TOKEN_AGE_SECONDS + CLOCK_SKEW_SECONDS) * 1000);
}

/**
 * The claim checks; returns the reason for a refusal, or null. `digest` is required for
 * requests with a body; request-host/-resource-path/-method must match when present.
 */
export function jwtClaimsProblem(
  claims: Record<string, unknown>,
  req: { method: string; pathWithQuery: string; body: Uint8Array; acceptedHosts: ReadonlySet<string>; now: Date },
): string | null {
  const now = req.now.getTime() / 1000;
  const iat = epochSeconds(claims.iat);
  if (iat === null) return "JWT without iat";
  if (iat > now + CLOCK_SKEW_SECONDS) return "JWT iat is in the future";
  if (now - iat > MAX_TOKEN_AGE_SECONDS) return "JWT iat is too old";
  if (claims.exp !== undefined) {
    const exp = epochSeconds(claims.exp);
    if (exp === null || now > exp + CLOCK_SKEW_SECONDS) return "JWT expired";
  }
  const method = req.method.toLowerCase();
  if (method === "post" || method === "put" || method === "patch") {
    const alg = claims["digest-algorithm"] ?? claims.digestAlgorithm;
    if (alg !== undefined && alg !== "SHA-256") return "JWT digest algorithm is not SHA-256";
    const digest = createHash("sha256").update(req.body).digest("base64");
    if (claims.digest !== digest) return "JWT digest does not match the body";
  }
  const host = claims["request-host"];
  if (host !== undefined && (typeof host !== "string" || !req.acceptedHosts.has(host.toLowerCase()))) {
    return "JWT request-host is not this gateway";
  }
  const path = claims["request-resource-path"];
  if (path !== undefined && path !== req.pathWithQuery) return "JWT request-resource-path does not match";
  const m = claims["request-method"];
  if (m !== undefined && (typeof m !== "string" || m.toLowerCase() !== method)) {
    return "JWT request-method does not match";
  }
  return null;
}
