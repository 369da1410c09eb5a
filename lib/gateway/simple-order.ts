import { createHash, timingSafeEqual } from "node:crypto";
import { clientIp } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import type { Environment } from "@/lib/generated/prisma/enums";
import { retiredRefusal } from "@/lib/keys/retirement";
import { readSecret } from "@/lib/keys/secret-keys";
import { acceptsScheme, schemeKeyType } from "@/lib/keys/types";
import { logger } from "@/lib/log";
import { attribution, type AuthResult, type AuthType, badInput, refused } from "./authenticate";
import { capText, MAX_ID_CHARS, unclean } from "./input";
import { keyCertificate, keyProblem, loadKey } from "./keys";
import { subjectSerialNumber } from "./jwt";
import { cardTypeOf, luhn } from "./card";
import { readLimited } from "./http";
import { logRefusal, newRequestId, recordRequest } from "./record";
import { countFailure, type Throttle, throttled } from "./throttle";
import {
  DEFAULT_TRANSACTION_NS,
  type Envelope,
  envelopeOf,
  elements,
  faultEnvelope,
  type FaultCode,
  field,
  parseXml,
  replyEnvelope,
  type ReplyTree,
  requestMessageOf,
  XmlProblem,
} from "./soap";
import { timestampProblem, verifySignedBody, type WsSecurity, wsSecurityOf } from "./ws-security";

/**
 * The test gateway's Simple Order API (SPEC G8): `POST /commerce/1.x/transactionProcessor`,
 * a SOAP 1.1 envelope whose Body holds a `requestMessage` (ccAuthService). Authenticated by
 * an XML Signature with the Simple Order `.p12` (ws-security.ts), or — until the SOAP Toolkit
 * retirement date of the environment — by a `wsse:UsernameToken` carrying the key owner's
 * org ID and the SOAP Toolkit key. The key rules are the REST gateway's (authenticate.ts):
 * `merchantID` is the transacting MID, a meta key of its portfolio/account may sign for it.
 * Every request is recorded in gateway_transactions. Answers: a `replyMessage` (HTTP 200,
 * decision ACCEPT/REJECT with Cybersource reason codes) or a SOAP Fault (HTTP 500); a
 * failed authentication never says which check failed, except for the retired SOAP Toolkit
 * and a signature algorithm not accepted (wsse:UnsupportedAlgorithm, naming the accepted ones).
 * Framework-free: the route handler and the tests call `simpleOrderHandler`.
 */
export const MAX_BODY_BYTES = 128 * 1024;

export interface SimpleOrderOptions {
  environment: Environment;
  /** The gateway's clock (the route passes `new Date()`; tests set it). */
  now: Date;
  /** The client's address (lib/auth/session.ts clientIp), for the failure rate limit. */
  clientAddress?: string | null;
}

interface SoapResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const AUTHENTICATION_FAULT =
  "Security Data : authentication failed. Sign the SOAP Body with an active Simple Order API key (.p12) of the merchant in merchantID, or of a portfolio or account meta key assigned to that merchant.";

type SoapAuth = AuthResult & {
  /** Said to the caller instead of AUTHENTICATION_FAULT (the SOAP Toolkit retirement, an algorithm not accepted). */
  faultstring?: string;
  /** The fault's code when not wsse:FailedAuthentication (wsse:UnsupportedAlgorithm). */
  faultcode?: FaultCode;
};

/** Authenticated, with the requestMessage to process (for a signed request, the signed one); or refused. */
type SoapAuthentication =
  { ok: true; auth: SoapAuth & { ok: true }; message: Element } | { ok: false; auth: SoapAuth & { ok: false } };

const XML_HEADERS = { "content-type": "text/xml; charset=utf-8", "cache-control": "no-store" };

function soap(status: number, body: string): SoapResponse {
  return { status, headers: XML_HEADERS, body };
}

/** An address over the failure limit (throttle.ts): a soap:Client fault, 429 with Retry-After; not recorded. */
function tooManyRequests(limit: Throttle & { ok: false }, requestId: string, address: string | null | undefined) {
  logger.warn(
    { requestId, clientAddress: address ?? null },
    "simple order: too many failed requests from the address (429)",
  );
  const faultstring = `Too many failed requests from this address. Retry after ${limit.retryAfterSeconds} seconds.`;
  return {
    status: 429,
    headers: { ...XML_HEADERS, "retry-after": String(limit.retryAfterSeconds) },
    body: faultEnvelope("soap:Client", faultstring, requestId),
  };
}

/** Handles one request body (null: larger than MAX_BODY_BYTES). Throws only when the database is unreachable. */
async function processSimpleOrder(body: Uint8Array | null, opts: SimpleOrderOptions): Promise<SoapResponse> {
  const at = opts.now;
  const requestId = newRequestId(at.getTime());
  const environment = opts.environment;
  // Every fault here is a request that did not authenticate: counted per client address.
  const fault = async (
    httpStatus: number,
    code: FaultCode,
    faultstring: string,
    reason: string,
    auth?: SoapAuth,
  ): Promise<SoapResponse> => {
    const over = await countFailure(opts.clientAddress, at.getTime());
    if (!over.ok) return tooManyRequests(over, requestId, opts.clientAddress);
    await recordRequest({
      id: requestId,
      at,
      environment,
      auth: auth ?? null,
      httpStatus,
      status: code.startsWith("wsse:") ? "AUTHENTICATION_FAILED" : "INVALID_REQUEST",
      reason,
    });
    return soap(httpStatus, faultEnvelope(code, faultstring, requestId));
  };

  if (body === null) {
    return fault(413, "soap:Client", `The request is larger than ${MAX_BODY_BYTES / 1024} KiB.`, "body too large");
  }
  let xml: string;
  let doc: Document;
  try {
    xml = new TextDecoder("utf-8", { fatal: true }).decode(body);
    doc = parseXml(xml);
  } catch (e) {
    const why = e instanceof XmlProblem ? e.message : "not UTF-8";
    return fault(500, "soap:Client", `The request is not well-formed XML: ${why}.`, `malformed XML: ${why}`);
  }
  const env = envelopeOf(doc);
  if ("problem" in env) return fault(500, "soap:Client", `Invalid SOAP request: ${env.problem}.`, env.problem);
  const unsigned = requestMessageOf(env.body);
  if ("problem" in unsigned) {
    return fault(500, "soap:Client", `Invalid SOAP request: ${unsigned.problem}.`, unsigned.problem);
  }
  const security = wsSecurityOf(doc, env);

  const authenticated = await authenticateSoap({ xml, doc, env, unsigned, security, environment, now: at });
  if (!authenticated.ok) {
    const { auth } = authenticated;
    logRefusal("simple order: authentication refused", requestId, environment, auth);
    if (auth.badInput) {
      return fault(500, "soap:Client", `Invalid SOAP request: ${auth.reason}.`, auth.reason, auth);
    }
    const code = auth.faultcode ?? "wsse:FailedAuthentication";
    return fault(500, code, auth.faultstring ?? AUTHENTICATION_FAULT, auth.reason, auth);
  }
  const { auth, message } = authenticated;

  const ns = message.namespaceURI ?? DEFAULT_TRANSACTION_NS;
  const order = readOrder(message);
  if (!order.ok) {
    const reasonCode = order.missing.length ? 101 : 102;
    const reason = [
      order.missing.length ? `missing fields: ${order.missing.join(", ")}` : "",
      order.invalid.length ? `invalid fields: ${order.invalid.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    await recordRequest({ id: requestId, at, environment, auth, httpStatus: 200, status: "REJECT", reason });
    return soap(
      200,
      replyEnvelope(ns, {
        merchantReferenceCode: order.merchantReferenceCode,
        requestID: requestId,
        decision: "REJECT",
        reasonCode,
        missingField: order.missing,
        invalidField: order.invalid,
      }),
    );
  }

  const { amount, currency } = order;
  await recordRequest({
    id: requestId,
    at,
    environment,
    auth,
    httpStatus: 200,
    status: "ACCEPT",
    reason: null,
    amount,
    currency,
  });
  return soap(
    200,
    replyEnvelope(ns, {
      merchantReferenceCode: order.merchantReferenceCode,
      requestID: requestId,
      decision: "ACCEPT",
      reasonCode: 100,
      purchaseTotals: { currency },
      ccAuthReply: {
        reasonCode: 100,
        amount,
        authorizationCode: "831000",
        avsCode: "Y",
        avsCodeRaw: "Y",
        authorizedDateTime: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
        processorResponse: "00",
        reconciliationID: requestId.slice(-16),
        paymentNetworkTransactionID: requestId.slice(-15),
      },
      card: { cardType: order.cardType },
    } satisfies ReplyTree),
  );
}

// ---- authentication ----

interface AuthInput {
  xml: string;
  doc: Document;
  env: Envelope;
  /** The requestMessage as received (before any signature check). */
  unsigned: Element;
  security: WsSecurity | { problem: string };
  environment: Environment;
  now: Date;
}

async function authenticateSoap(input: AuthInput): Promise<SoapAuthentication> {
  const { security, unsigned } = input;
  const claimedMid = field(unsigned, "merchantID") ?? "";
  if (unclean(claimedMid, MAX_ID_CHARS)) {
    return {
      ok: false,
      auth: badInput({ authType: "none", merchantId: claimedMid }, "merchantID", "merchantID is not an ID"),
    };
  }
  if ("problem" in security) {
    return { ok: false, auth: refused({ authType: "none", merchantId: claimedMid }, security.problem) };
  }
  if (security.kind === "none") {
    return { ok: false, auth: refused({ authType: "none", merchantId: claimedMid }, "no WS-Security credentials") };
  }
  if (security.kind === "username") {
    const auth = await authenticateUsernameToken(security, claimedMid, input);
    return auth.ok ? { ok: true, auth, message: unsigned } : { ok: false, auth };
  }
  return authenticateSignature(security, claimedMid, input);
}

async function authenticateSignature(
  found: { token: Element; signature: Element },
  claimedMid: string,
  { xml, doc, env, environment, now }: AuthInput,
): Promise<SoapAuthentication> {
  const authType: AuthType = "simple_order";
  const verified = verifySignedBody(xml, doc, env, found);
  const keyId = verified.certificate ? subjectSerialNumber(verified.certificate) : null;
  const at = { authType, merchantId: claimedMid, claimedKeyId: capText(keyId, MAX_ID_CHARS) };
  if (unclean(keyId, MAX_ID_CHARS)) {
    return { ok: false, auth: badInput(at, "BinarySecurityToken", "the certificate's serialNumber is not a key ID") };
  }
  if (!verified.ok) {
    // Shown to the org whose real key the certificate names: a merchant integrating sees its own.
    const row = keyId ? await loadKey(keyId, claimedMid) : null;
    const auth = refused({ ...at, ...(row ? attribution(row, claimedMid) : {}) }, verified.reason);
    const { fault } = verified;
    return { ok: false, auth: fault ? { ...auth, faultcode: fault.code, faultstring: fault.faultstring } : auth };
  }

  // From here on, only what the signature covers.
  const message = requestMessageOf(verified.signedBody);
  if ("problem" in message) return { ok: false, auth: refused(at, `signed Body: ${message.problem}`) };
  const merchantId = field(message, "merchantID") ?? "";
  const signed = { ...at, merchantId };
  if (unclean(merchantId, MAX_ID_CHARS)) {
    return { ok: false, auth: badInput(signed, "merchantID", "merchantID is not an ID") };
  }
  const fail = (reason: string, extra: Partial<AuthResult> = {}): SoapAuthentication => ({
    ok: false,
    auth: refused({ ...signed, ...extra }, reason),
  });
  if (!keyId) return fail("the certificate names no key (no subject serialNumber)");
  if (!merchantId) return fail("no merchantID");
  const row = await loadKey(keyId, merchantId);
  if (!row) return fail("unknown key");
  const withKey = { ...signed, ...attribution(row, merchantId) };
  if (!acceptsScheme(row.type, "simple_order"))
    return fail(`${row.type} key cannot sign Simple Order requests`, withKey);
  const stored = await keyCertificate(
    row,
    { certificate: verified.certificate, name: "BinarySecurityToken certificate" },
    environment,
    now,
  );
  if ("reason" in stored) return fail(stored.reason, withKey);
  const problem = keyProblem(row, merchantId, environment, now);
  if (problem) return fail(problem, withKey);
  // A signed wsu:Timestamp, when the client sends one, bounds the request's lifetime.
  const stale = verified.timestamp && timestampProblem(verified.timestamp, now);
  if (stale) return fail(stale, withKey);
  return { ok: true, auth: { ...withKey, ok: true, keyId: row.id, tenant: merchantId, responseMle: null }, message };
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest();

async function authenticateUsernameToken(
  token: { username: string; password: string },
  merchantId: string,
  { environment, now }: AuthInput,
): Promise<SoapAuth> {
  const type = schemeKeyType("soap_toolkit");
  const base = { authType: "soap_toolkit" as const, merchantId };
  const retired = retiredRefusal(type, environment, now);
  if (retired) return { ...refused(base, retired.reason), faultstring: retired.faultstring };
  if (!token.username || !token.password) return refused(base, "empty Username or Password");
  if (unclean(token.username, MAX_ID_CHARS)) return badInput(base, "Username", "the Username is not an org ID");
  if (!merchantId) return refused(base, "no merchantID");

  // The Username is the key owner's org ID; the Password is one of its SOAP Toolkit keys.
  // Every candidate is compared (SHA-256 of both sides, constant time), matched or not.
  const candidates = await prisma.key.findMany({
    where: { orgId: token.username, type, environment, deletedAt: null },
    select: { id: true, secretCiphertext: true },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const given = sha256(token.password);
  let matched: string | null = null;
  for (const c of candidates) {
    let secret: string;
    try {
      secret = readSecret(c);
    } catch {
      continue;
    }
    if (timingSafeEqual(given, sha256(secret)) && matched === null) matched = c.id;
  }
  if (!matched) return refused(base, `the Password is not a SOAP Toolkit key of ${token.username}`);
  const row = await loadKey(matched, merchantId);
  if (!row) return refused({ ...base, claimedKeyId: matched }, "unknown key");
  const withKey = { ...base, claimedKeyId: row.id, ...attribution(row, merchantId) };
  const problem = keyProblem(row, merchantId, environment, now);
  if (problem) return refused(withKey, problem);
  return { ok: true, ...withKey, keyId: row.id, tenant: merchantId, responseMle: null };
}

// ---- the order ----

const DECIMAL = /^\d{1,15}(\.\d{1,4})?$/;
const SCALE = 10_000n;
const units = (s: string) => {
  const [whole, frac = ""] = s.split(".");
  return BigInt(whole!) * SCALE + BigInt(frac.padEnd(4, "0"));
};
function decimal(u: bigint): string {
  let frac = (u % SCALE).toString().padStart(4, "0");
  while (frac.length > 2 && frac.endsWith("0")) frac = frac.slice(0, -1);
  return `${u / SCALE}.${frac}`;
}

type Order =
  | { ok: true; merchantReferenceCode: string; amount: string; currency: string; cardType: string }
  | { ok: false; merchantReferenceCode: string | null; missing: string[]; invalid: string[] };

/**
 * The authorization's fields, checked as Cybersource names them in missingField/invalidField
 * (`c:purchaseTotals/c:grandTotalAmount`). Without grandTotalAmount the total is the sum of
 * the items' unitPrice × quantity.
 */
function readOrder(message: Element): Order {
  const missing: string[] = [];
  const invalid: string[] = [];
  const name = (...path: string[]) => path.map((p) => `c:${p}`).join("/");
  const check = (path: string[], ok: (v: string) => boolean, required = true): string | null => {
    const v = field(message, ...path);
    if (v === null || v === "") {
      if (required) missing.push(name(...path));
      return null;
    }
    if (!ok(v)) {
      invalid.push(name(...path));
      return null;
    }
    return v;
  };

  const merchantReferenceCode = check(["merchantReferenceCode"], (v) => v.length <= 50);
  const currency = check(["purchaseTotals", "currency"], (v) => /^[A-Za-z]{3}$/.test(v));
  let total: bigint | null = null;
  if (field(message, "purchaseTotals", "grandTotalAmount") !== null) {
    const v = check(["purchaseTotals", "grandTotalAmount"], (s) => DECIMAL.test(s) && units(s) > 0n);
    total = v === null ? null : units(v);
  } else {
    const items = elements(message, message.namespaceURI ?? undefined, "item");
    if (items.length === 0) missing.push(name("purchaseTotals", "grandTotalAmount"));
    let sum = 0n;
    items.forEach((item, i) => {
      const at = (f: string) => `c:item_${item.getAttribute("id") || i}_${f}`;
      const price = field(item, "unitPrice");
      const quantity = field(item, "quantity") ?? "1";
      if (price === null || price === "") missing.push(at("unitPrice"));
      else if (!DECIMAL.test(price)) invalid.push(at("unitPrice"));
      else if (!/^[1-9]\d{0,5}$/.test(quantity)) invalid.push(at("quantity"));
      else sum += units(price) * BigInt(quantity);
    });
    if (items.length > 0 && sum <= 0n && invalid.length === 0 && missing.length === 0) {
      invalid.push(name("purchaseTotals", "grandTotalAmount"));
    }
    total = sum > 0n ? sum : null;
  }
  const card = check(["card", "accountNumber"], (v) => /^\d{12,19}$/.test(v) && luhn(v));
  check(["card", "expirationMonth"], (v) => /^(0?[1-9]|1[0-2])$/.test(v));
  check(["card", "expirationYear"], (v) => /^\d{4}$/.test(v));
  check(["card", "cvNumber"], (v) => /^\d{3,4}$/.test(v), false);
  const auth = elements(message, message.namespaceURI ?? undefined, "ccAuthService")[0];
  if (!auth || auth.getAttribute("run") !== "true") missing.push("c:ccAuthService_run");

  if (missing.length || invalid.length || !merchantReferenceCode || !currency || total === null || !card) {
    return { ok: false, merchantReferenceCode, missing, invalid };
  }
  return {
    ok: true,
    merchantReferenceCode,
    amount: decimal(total),
    currency: currency.toUpperCase(),
    cardType: cardTypeOf(card),
  };
}

// ---- on standard Request/Response ----

/**
 * The route handler's core: the raw body (at most MAX_BODY_BYTES), processed, answered as
 * text/xml. An unexpected error (the database unreachable) is logged and answered with a
 * soap:Server fault that names only a reference.
 */
export async function simpleOrderHandler(request: Request, opts: Partial<SimpleOrderOptions> = {}): Promise<Response> {
  const clientAddress = opts.clientAddress === undefined ? clientIp(request.headers) : opts.clientAddress;
  const options = { environment: opts.environment ?? "TEST", now: opts.now ?? new Date(), clientAddress };
  let res: SoapResponse;
  const limit = throttled(clientAddress, options.now.getTime());
  if (!limit.ok) {
    void request.body?.cancel().catch(() => undefined);
    return respond(tooManyRequests(limit, newRequestId(), clientAddress));
  }
  try {
    res = await processSimpleOrder(await readLimited(request, MAX_BODY_BYTES), options);
  } catch (e) {
    const reference = newRequestId();
    logger.error({ reference, err: e }, "simple order: unexpected error");
    res = soap(500, faultEnvelope("soap:Server", `Internal error. Reference ${reference}.`, reference));
  }
  return respond(res);
}

const respond = (res: SoapResponse) => new Response(res.body, { status: res.status, headers: res.headers });
