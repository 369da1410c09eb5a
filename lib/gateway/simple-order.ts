import { createHash, timingSafeEqual } from "node:crypto";
import { prisma } from "@/lib/db";
import type { Environment } from "@/lib/generated/prisma/enums";
import { retiredRefusal } from "@/lib/keys/retirement";
import { readSecret } from "@/lib/keys/secret-keys";
import { acceptsScheme, schemeKeyType } from "@/lib/keys/types";
import { attribution, type AuthResult, type AuthType, badInput, refused } from "./authenticate";
import { capText, MAX_ID_CHARS, unclean } from "./input";
import { keyCertificate, keyProblem, loadKey } from "./keys";
import { subjectSerialNumber } from "./jwt";
import { cardTypeOf, luhn } from "./card";
import {
  type Authentication,
  type Exchange,
  type GatewayEndpoint,
  type GatewayResponse,
  type Handled,
  type Refusal,
  serve,
  webIncoming,
  webResponse,
} from "./pipeline";
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
 * The pipeline's endpoint (pipeline.ts); every fault before a reply is a refusal, counted
 * against the client address.
 */
export const MAX_BODY_BYTES = 128 * 1024;

export interface SimpleOrderOptions {
  environment: Environment;
  /** The gateway's clock (default now; tests set it). */
  now: Date;
  /** The client's address (lib/http/client-ip.ts clientIp), for the failure rate limit. */
  clientAddress?: string | null;
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

/** A refusal, answered with a SOAP Fault. */
type SoapRefusal = Refusal & { code: FaultCode; faultstring: string };

const XML_HEADERS = { "content-type": "text/xml; charset=utf-8", "cache-control": "no-store" };

function soap(status: number, body: string): GatewayResponse {
  return { status, headers: XML_HEADERS, body };
}

function fault(
  httpStatus: number,
  code: FaultCode,
  faultstring: string,
  reason: string,
  auth: (AuthResult & { ok: false }) | null = null,
): { ok: false; refusal: SoapRefusal } {
  const status = code.startsWith("wsse:") ? "AUTHENTICATION_FAILED" : "INVALID_REQUEST";
  return { ok: false, refusal: { auth, httpStatus, status, reason, code, faultstring } };
}

/** The envelope read and its sender authenticated: the requestMessage to process, or a fault. */
async function readAndAuthenticate(body: Uint8Array, x: Exchange): Promise<Authentication<Element, SoapRefusal>> {
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
  const { environment, at: now } = x;
  const authenticated = await authenticateSoap({ xml, doc, env, unsigned, security, environment, now });
  if (authenticated.ok) return { ok: true, auth: authenticated.auth, value: authenticated.message };
  const { auth } = authenticated;
  if (auth.badInput) return fault(500, "soap:Client", `Invalid SOAP request: ${auth.reason}.`, auth.reason, auth);
  const code = auth.faultcode ?? "wsse:FailedAuthentication";
  return fault(500, code, auth.faultstring ?? AUTHENTICATION_FAULT, auth.reason, auth);
}

/** The order of an authenticated requestMessage: a REJECT (reason codes 101, 102) or an ACCEPT. */
async function handleOrder(message: Element, _auth: AuthResult, x: Exchange): Promise<Handled<GatewayResponse>> {
  const { id: requestId, at } = x;
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
    const answer = soap(
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
    return { httpStatus: 200, status: "REJECT", reason, answer };
  }

  const { amount, currency } = order;
  const answer = soap(
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
  return { httpStatus: 200, status: "ACCEPT", reason: null, amount, currency, answer };
}

/** `POST /commerce/1.x/transactionProcessor`'s parts of the pipeline. */
export const SIMPLE_ORDER: GatewayEndpoint<Uint8Array, Element, SoapRefusal, GatewayResponse> = {
  name: "simple order",
  maxBodyBytes: MAX_BODY_BYTES,
  read: (body) => body,
  authenticate: readAndAuthenticate,
  handle: handleOrder,
  tooLarge: () =>
    fault(413, "soap:Client", `The request is larger than ${MAX_BODY_BYTES / 1024} KiB.`, "body too large").refusal,
  refuse: (r, x) => soap(r.httpStatus, faultEnvelope(r.code, r.faultstring, x.id)),
  /** An address over the failure limit (throttle.ts): a soap:Client fault, 429 with Retry-After. */
  tooMany: (retryAfterSeconds, x) => ({
    status: 429,
    headers: { ...XML_HEADERS, "retry-after": String(retryAfterSeconds) },
    body: faultEnvelope(
      "soap:Client",
      `Too many failed requests from this address. Retry after ${retryAfterSeconds} seconds.`,
      x.id,
    ),
  }),
  /** The database unreachable: a soap:Server fault that names only a reference. */
  failed: (reference) => soap(500, faultEnvelope("soap:Server", `Internal error. Reference ${reference}.`, reference)),
  render: (answer) => answer,
};

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

/** The endpoint on a Web-standard Request (the route handler; tests set the clock). */
export async function simpleOrderHandler(request: Request, opts: Partial<SimpleOrderOptions> = {}): Promise<Response> {
  const incoming = webIncoming(request, opts.clientAddress);
  return webResponse(await serve(SIMPLE_ORDER, incoming, { environment: opts.environment, now: opts.now }));
}
