import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { CHECKOUT_PAGE_CSP } from "@/lib/http/security-headers";
import { readSecret } from "@/lib/keys/secret-keys";
import { schemeKeyType } from "@/lib/keys/types";
import { type AuthResult, refused } from "./authenticate";
import { cleanText, MAX_ID_CHARS } from "./input";
import { keyProblem, loadKey } from "./keys";
import {
  type Authentication,
  type Exchange,
  type GatewayEndpoint,
  type GatewayResponse,
  type Refusal,
  serveRead,
} from "./pipeline";

/**
 * Secure Acceptance checkout (SPEC G7, guide {#keys-secure-acceptance-intro}): the hosted
 * checkout's form POST to `/pay`, checked against an active TEST-environment Secure Acceptance
 * key of the security profile. The signature is base64 HMAC-SHA256, keyed with the secret key,
 * over `name=value` pairs joined by commas in the order of `signed_field_names`. The
 * pipeline's endpoint (pipeline.ts): every request is recorded, accepted or not, and answered
 * with an HTML receipt or an error page that never says which check failed.
 */

/** How far `signed_date_time` may be from now, either way. */
export const SIGNATURE_MAX_AGE_MS = 15 * 60_000;

/** Fields every request must sign (besides any others the merchant lists). */
export const REQUIRED_SIGNED_FIELDS = [
  "access_key",
  "profile_id",
  "transaction_uuid",
  "signed_field_names",
  "signed_date_time",
  "transaction_type",
  "reference_number",
  "amount",
  "currency",
] as const;

export const TRANSACTION_TYPES: Record<string, string> = { sale: "sale", authorization: "authorization" };

/** A body larger than this is refused (413). */
const MAX_CHECKOUT_BODY_BYTES = 64 * 1024;
const MAX_FIELD_CHARS = 1000;
/** A form with more fields than this, or a name or value longer than MAX_VALUE_CHARS, is not a checkout. */
const MAX_FIELDS = 200;
const MAX_VALUE_CHARS = 4096;

/** What an accepted checkout hands from authentication to its receipt. */
interface Checkout {
  merchantId: string;
  amount: string;
  currency: string;
  referenceNumber: string;
  transactionUuid: string;
  transactionType: string;
}

export type SecureAcceptanceOutcome =
  | (Checkout & { ok: true; httpStatus: 200; decision: "ACCEPT"; requestId: string })
  | {
      ok: false;
      httpStatus: 400 | 401 | 413 | 429;
      decision: "ERROR";
      requestId: string;
      /** For the server log and the transaction row only; never shown to the caller. */
      reason: string;
      /** 429: when the address may try again. */
      retryAfterSeconds?: number;
    };

/** The string Secure Acceptance signs: `name=value` for each signed field, joined by commas. */
export function dataToSign(fields: Record<string, string>, signedFieldNames: string[]): string {
  return signedFieldNames.map((name) => `${name}=${fields[name] ?? ""}`).join(",");
}

/** Base64 HMAC-SHA256 of `dataToSign` keyed with the secret key (as the secret key's text). */
export function signFields(fields: Record<string, string>, secretKey: string): string {
  const names = (fields.signed_field_names ?? "").split(",").map((n) => n.trim());
  return createHmac("sha256", secretKey).update(dataToSign(fields, names), "utf8").digest("base64");
}

/** Constant-time comparison of two signatures (as text). */
function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  // Compare equal lengths either way, so timing says nothing about the expected value.
  return timingSafeEqual(a.length === b.length ? a : b, b) && a.length === b.length;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const AMOUNT = /^(?:0|[1-9]\d{0,11})(?:\.\d{1,2})?$/;

type Fields = Record<string, string>;

/**
 * The form checked, for the profile's org as the MID: the form itself (400), then the access
 * key, the gateway's key rules (lib/gateway/keys.ts `keyProblem`), the signature and its date
 * (401); last, the transaction_uuid is used once (401 when it was used before).
 */
async function authenticateCheckout(fields: Fields, x: Exchange): Promise<Authentication<Checkout, Refusal>> {
  const now = x.at;
  const field = (name: string) => (fields[name] ?? "").slice(0, MAX_FIELD_CHARS);
  const entries = Object.entries(fields);
  // Text no browser sends (NUL, lone surrogates, huge values) is refused before any lookup.
  const wellFormed =
    entries.length <= MAX_FIELDS &&
    entries.every(
      ([k, v]) => cleanText(k, MAX_VALUE_CHARS) !== null && (v === "" || cleanText(v, MAX_VALUE_CHARS) !== null),
    );
  const accessKey = wellFormed ? (cleanText(field("access_key").trim(), MAX_ID_CHARS) ?? "") : "";
  const profileId = wellFormed ? (cleanText(field("profile_id").trim(), MAX_ID_CHARS) ?? "") : "";

  // Who the request claims to be for: the profile's org, when the access key is that profile's.
  const [profile, key] = await Promise.all([
    profileId ? prisma.securityProfile.findUnique({ where: { id: profileId }, select: { orgId: true } }) : null,
    accessKey
      ? prisma.key.findFirst({
          where: { id: accessKey, type: schemeKeyType("secure_acceptance") },
          select: { id: true, orgId: true, securityProfileId: true },
        })
      : null,
  ]);
  const matched = key && profile && key.securityProfileId === profileId && key.orgId === profile.orgId ? key : null;
  const transactionType = TRANSACTION_TYPES[field("transaction_type")];
  const amount = field("amount").trim();
  const currency = field("currency").trim().toUpperCase();
  // Shown only to the org whose real access key (of its profile) the request named.
  const named = {
    authType: "secure_acceptance" as const,
    merchantId: matched?.orgId ?? "",
    claimedKeyId: accessKey || null,
    keyId: matched?.id ?? null,
    tenant: matched?.orgId ?? null,
  };
  const row = {
    applications: transactionType ? [transactionType] : [],
    amount: AMOUNT.test(amount) ? amount : null,
    currency: /^[A-Z]{3}$/.test(currency) ? currency : null,
  };
  const refuse = (httpStatus: 400 | 401, reason: string): { ok: false; refusal: Refusal } => ({
    ok: false,
    refusal: {
      ...row,
      auth: refused(named, reason),
      httpStatus,
      status: httpStatus === 400 ? "INVALID_REQUEST" : "AUTHENTICATION_FAILED",
      reason,
    },
  });

  if (!wellFormed) return refuse(400, "a field name or value is not text a form sends (control characters, too long)");
  if (field("access_key").trim() && !accessKey) return refuse(400, "access_key is not a key ID");
  if (field("profile_id").trim() && !profileId) return refuse(400, "profile_id is not a profile ID");

  // ---- the form itself (400) ----
  const signedNames = field("signed_field_names")
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  if (!signedNames.includes("signed_field_names")) return refuse(400, "signed_field_names does not list itself");
  const unsigned = REQUIRED_SIGNED_FIELDS.filter((n) => !signedNames.includes(n));
  if (unsigned.length > 0) return refuse(400, `required fields not signed: ${unsigned.join(", ")}`);
  const absent = signedNames.filter((n) => fields[n] === undefined);
  if (absent.length > 0) return refuse(400, `signed fields missing from the request: ${absent.join(", ")}`);
  if (!field("signature")) return refuse(400, "no signature");
  if (!ISO_UTC.test(field("signed_date_time"))) return refuse(400, "signed_date_time is not ISO 8601 UTC");
  if (!transactionType) return refuse(400, "transaction_type is neither sale nor authorization");
  if (!row.amount || Number(amount) <= 0) return refuse(400, "amount is not a positive decimal");
  if (!row.currency) return refuse(400, "currency is not a 3-letter code");
  if (!field("reference_number").trim()) return refuse(400, "reference_number is empty");
  if (!field("transaction_uuid").trim()) return refuse(400, "transaction_uuid is empty");

  // ---- the key and the signature (401) ----
  if (!key) return refuse(401, "unknown access key");
  if (!profile) return refuse(401, "unknown profile_id");
  if (!matched) return refuse(401, "access key is not a key of this security profile");
  // The gateway's key rules (lib/gateway/keys.ts), for the profile's org as the MID.
  const keyRow = await loadKey(matched.id, matched.orgId);
  if (!keyRow) return refuse(401, "unknown access key");
  if (keyRow.environment !== "TEST") return refuse(401, "access key is not a test-environment key");
  const problem = keyProblem(keyRow, matched.orgId, "TEST", now);
  if (problem) return refuse(401, problem);
  const expected = signFields(fields, readSecret(keyRow));
  if (!sameSignature(field("signature"), expected)) return refuse(401, "signature mismatch");
  const signedAt = new Date(field("signed_date_time")).getTime();
  if (!Number.isFinite(signedAt) || Math.abs(now.getTime() - signedAt) > SIGNATURE_MAX_AGE_MS)
    return refuse(401, "signed_date_time outside the 15-minute window");

  // ---- once only: the transaction_uuid of this profile (as a JWT's jti, authenticate.ts) ----
  const transactionUuid = field("transaction_uuid").trim();
  try {
    await prisma.secureAcceptanceNonce.create({ data: { profileId, transactionUuid, at: now } });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      return refuse(401, "transaction_uuid already used");
    throw e;
  }
  const merchantId = matched.orgId;
  return {
    ok: true,
    auth: { ...named, ok: true, merchantId, keyId: matched.id, metaKeyOwner: null, responseMle: null },
    value: {
      merchantId,
      amount,
      currency,
      referenceNumber: field("reference_number").trim(),
      transactionUuid,
      transactionType,
    },
  };
}

/** `POST /pay`'s parts of the pipeline; its answers are outcomes, rendered as pages. */
export const SECURE_ACCEPTANCE: GatewayEndpoint<Fields, Checkout, Refusal, SecureAcceptanceOutcome> = {
  name: "secure acceptance",
  maxBodyBytes: MAX_CHECKOUT_BODY_BYTES,
  read: (body) => Object.fromEntries(new URLSearchParams(new TextDecoder().decode(body))),
  authenticate: authenticateCheckout,
  handle: async (c: Checkout, _auth: AuthResult, x: Exchange) => ({
    httpStatus: 200,
    status: "ACCEPT",
    reason: null,
    amount: c.amount,
    currency: c.currency,
    applications: [c.transactionType],
    answer: { ok: true, httpStatus: 200, decision: "ACCEPT", requestId: x.id, ...c },
  }),
  tooLarge: () => ({ auth: null, httpStatus: 413, status: "INVALID_REQUEST", reason: "body too large" }),
  refuse: (r, x) => ({
    ok: false,
    httpStatus: r.httpStatus as 400 | 401 | 413,
    decision: "ERROR",
    requestId: x.id,
    reason: r.reason,
  }),
  tooMany: (retryAfterSeconds, x) => ({
    ok: false,
    httpStatus: 429,
    decision: "ERROR",
    requestId: x.id,
    reason: "too many failed requests from the address",
    retryAfterSeconds,
  }),
  render,
};

/**
 * Checks one checkout request whose form is already read, and records it (GatewayTransaction,
 * authType "secure_acceptance"; lib/gateway/record.ts): the pipeline without its read step.
 */
export function processSecureAcceptance(
  fields: Fields,
  opts: { now?: Date; clientAddress?: string | null } = {},
): Promise<SecureAcceptanceOutcome> {
  return serveRead(SECURE_ACCEPTANCE, fields, opts);
}

// ---- the pages ----

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(status: number, title: string, body: string, headers: Record<string, string> = {}): GatewayResponse {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – KeyCenter Secure Acceptance (test)</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#0f172a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{color:#475569}dd{margin:0;font-family:ui-monospace,monospace}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.25rem;background:#e2e8f0}</style></head>
<body><p class="badge">Test environment</p><h1>${escape(title)}</h1>${body}</body></html>`;
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // Spelled as GATEWAY_HEADERS spells it (pipeline.ts), so that it replaces the API policy.
      "Content-Security-Policy": CHECKOUT_PAGE_CSP,
      ...headers,
    },
    body: html,
  };
}

/** The receipt, or an error page that never says which check failed (the reason is in the log and the row). */
function render(result: SecureAcceptanceOutcome): GatewayResponse {
  if (!result.ok && result.httpStatus === 429) {
    const retryAfter = String(result.retryAfterSeconds ?? 60);
    return page(
      429,
      "Payment not processed",
      `<p>Too many failed payment requests came from your address. Try again in ${escape(retryAfter)} seconds.</p>`,
      { "retry-after": retryAfter },
    );
  }
  if (!result.ok && result.httpStatus === 413) {
    return page(413, "Payment not processed", "<p>The request is too large.</p>");
  }
  if (!result.ok) {
    const body =
      result.httpStatus === 401
        ? "<p>The payment request could not be authenticated. Check the access key, the profile ID, the signature and its date, and use a new transaction UUID for each request.</p>"
        : "<p>The payment request is incomplete or not valid. Check the signed fields and their values.</p>";
    return page(
      result.httpStatus,
      "Payment not processed",
      `${body}<dl><dt>Decision</dt><dd>ERROR</dd><dt>Request ID</dt><dd>${escape(result.requestId)}</dd></dl>`,
    );
  }
  const rows: [string, string][] = [
    ["Decision", result.decision],
    ["Amount", `${result.amount} ${result.currency}`],
    ["Reference number", result.referenceNumber],
    ["Transaction type", result.transactionType],
    ["Transaction UUID", result.transactionUuid],
    ["Request ID", result.requestId],
  ];
  return page(
    200,
    "Payment receipt",
    `<dl aria-label="Receipt">${rows.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`).join("")}</dl>`,
  );
}

/**
 * The sample merchant form (Live Console > Checkout): the field set a merchant's server
 * posts to /pay, signed with the secret key given here. Nothing is stored.
 */
export function signCheckoutFields(input: {
  accessKey: string;
  secretKey: string;
  profileId: string;
  amount: string;
  currency: string;
  referenceNumber: string;
  transactionType: "sale" | "authorization";
  now?: Date;
}): Record<string, string> {
  const fields: Record<string, string> = {
    access_key: input.accessKey,
    profile_id: input.profileId,
    transaction_uuid: randomUUID(),
    signed_field_names: "",
    unsigned_field_names: "",
    signed_date_time: (input.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    locale: "en-us",
    transaction_type: input.transactionType,
    reference_number: input.referenceNumber,
    amount: input.amount,
    currency: input.currency,
  };
  fields.signed_field_names = Object.keys(fields)
    .filter((n) => n !== "unsigned_field_names")
    .join(",");
  return { ...fields, signature: signFields(fields, input.secretKey) };
}
