import { z } from "zod";
import { clientIp } from "@/lib/http/client-ip";
import { environmentCredentials } from "@/lib/crypto/environment";
import { logger } from "@/lib/log";
import {
  type AuthResult,
  authenticate,
  type GatewayOptions,
  type GatewayRequest,
  type HeaderReader,
} from "./authenticate";
import { cardTypeOf, luhn } from "./card";
import { readLimited } from "./http";
import { decryptRequest, encryptedRequestOf, encryptResponse } from "./mle";
import { logRefusal, newRequestId, recordRequest } from "./record";
import { countFailure, type Throttle, throttled } from "./throttle";

/**
 * `POST /pts/v2/payments` of the test gateway: authenticate (authenticate.ts), open a
 * Message-Level Encryption wrapper, validate the payment, answer as the Cybersource sandbox
 * does, and record every request in gateway_transactions (G5). Framework-free: the route
 * handler and the tests' plain node:http server both call `handlePaymentRequest`.
 */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Request bodies larger than this are refused (413) without being read whole. */
export const MAX_PAYMENT_BODY_BYTES = 1024 * 1024;

/** What every refusal answers: nothing about which check failed. */
export const AUTHENTICATION_FAILED = { response: { rmsg: "Authentication Failed" } } as const;

/** What an address over the failure limit (throttle.ts) is answered, with Retry-After; not recorded. */
export const TOO_MANY_REQUESTS = { response: { rmsg: "Too Many Requests" } } as const;

const amount = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, "must be a positive decimal amount"));

export const PaymentSchema = z.object({
  clientReferenceInformation: z.looseObject({ code: z.string().trim().min(1).max(50) }),
  paymentInformation: z.looseObject({
    card: z.looseObject({
      number: z
        .string()
        .regex(/^\d{12,19}$/, "must be 12 to 19 digits")
        .refine(luhn, "is not a valid card number"),
      expirationMonth: z.string().regex(/^(0[1-9]|1[0-2])$/, "must be 01 to 12"),
      expirationYear: z.string().regex(/^\d{4}$/, "must be four digits"),
      securityCode: z
        .string()
        .regex(/^\d{3,4}$/)
        .optional(),
    }),
  }),
  orderInformation: z.looseObject({
    amountDetails: z.looseObject({
      totalAmount: amount,
      currency: z
        .string()
        .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code")
        .transform((c) => c.toUpperCase()),
    }),
  }),
});
export type Payment = z.infer<typeof PaymentSchema>;

const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

function get(obj: unknown, path: PropertyKey[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

function invalidRequest(now: Date, id: string, details: { field: string; reason: string }[], message: string) {
  const missing = details.some((d) => d.reason === "MISSING_FIELD");
  return {
    id,
    submitTimeUtc: utc(now),
    status: "INVALID_REQUEST",
    reason: missing ? "MISSING_FIELD" : "INVALID_DATA",
    message,
    details,
  };
}

const JSON_HEADERS = { "content-type": "application/json;charset=utf-8" };
const INVALID_DATA_MESSAGE = "Declined - One or more fields in the request contains invalid data";

async function respond(
  status: number,
  body: unknown,
  auth: AuthResult | null,
  requestId: string,
): Promise<GatewayResponse> {
  const text = JSON.stringify(body);
  const headers = { ...JSON_HEADERS, "v-c-correlation-id": requestId };
  if (auth?.responseMle) {
    return {
      status,
      headers,
      body: await encryptResponse(text, auth.responseMle.certificatePem, auth.responseMle.keyId),
    };
  }
  return { status, headers, body: text };
}

function tooManyRequests(limit: Throttle & { ok: false }, requestId: string, address: string | null | undefined) {
  logger.warn(
    { requestId, clientAddress: address ?? null },
    "gateway: too many failed requests from the address (429)",
  );
  return {
    status: 429,
    headers: { ...JSON_HEADERS, "v-c-correlation-id": requestId, "retry-after": String(limit.retryAfterSeconds) },
    body: JSON.stringify(TOO_MANY_REQUESTS),
  };
}

/** Handles one `POST /pts/v2/payments`. Throws only when the database is unreachable. */
export async function handlePaymentRequest(req: GatewayRequest, opts: GatewayOptions): Promise<GatewayResponse> {
  const at = opts.now ?? new Date();
  const id = newRequestId(at.getTime());
  const environment = opts.environment;
  const limit = throttled(req.clientAddress, at.getTime());
  if (!limit.ok) return tooManyRequests(limit, id, req.clientAddress);
  const auth = await authenticate(req, opts);
  const base = { id, environment, auth, at, amount: null, currency: null };

  if (!auth.ok) {
    logRefusal("gateway: authentication refused", id, environment, auth);
    const over = await countFailure(req.clientAddress, at.getTime());
    if (!over.ok) return tooManyRequests(over, id, req.clientAddress);
    if (auth.badInput) {
      await recordRequest({ ...base, httpStatus: 400, status: "INVALID_REQUEST", reason: auth.reason });
      const details = [{ field: auth.badInput, reason: "INVALID_DATA" }];
      return respond(400, invalidRequest(at, id, details, INVALID_DATA_MESSAGE), null, id);
    }
    await recordRequest({ ...base, httpStatus: 401, status: "AUTHENTICATION_FAILED", reason: auth.reason });
    return respond(401, AUTHENTICATION_FAILED, auth, id);
  }

  const refuse = async (reason: string, details: { field: string; reason: string }[], message: string) => {
    await recordRequest({ ...base, httpStatus: 400, status: "INVALID_REQUEST", reason });
    return respond(400, invalidRequest(at, id, details, message), auth, id);
  };

  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(req.body).toString("utf8"));
  } catch {
    return refuse("body is not JSON", [], "Declined - The request body is not valid JSON");
  }
  const jwe = encryptedRequestOf(body);
  if (jwe !== null) {
    try {
      const plaintext = await decryptRequest(jwe, (await environmentCredentials(environment)).gatewayMle.privateKeyPem);
      body = JSON.parse(Buffer.from(plaintext).toString("utf8"));
    } catch {
      return refuse(
        "encryptedRequest could not be decrypted",
        [{ field: "encryptedRequest", reason: "INVALID_DATA" }],
        "Declined - The encrypted request could not be decrypted",
      );
    }
  }

  const parsed = PaymentSchema.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      field: i.path.map(String).join("."),
      reason: get(body, i.path) === undefined ? "MISSING_FIELD" : "INVALID_DATA",
    }));
    const missing = details.some((d) => d.reason === "MISSING_FIELD");
    return refuse(
      `invalid fields: ${details.map((d) => d.field).join(", ")}`,
      details,
      missing ? "Declined - The request is missing one or more fields" : INVALID_DATA_MESSAGE,
    );
  }

  const p = parsed.data;
  const { totalAmount, currency } = p.orderInformation.amountDetails;
  await recordRequest({ ...base, httpStatus: 201, status: "AUTHORIZED", reason: null, amount: totalAmount, currency });
  const cardType = cardTypeOf(p.paymentInformation.card.number);
  return respond(
    201,
    {
      _links: {
        authReversal: { method: "POST", href: `/pts/v2/payments/${id}/reversals` },
        self: { method: "GET", href: `/pts/v2/payments/${id}` },
        capture: { method: "POST", href: `/pts/v2/payments/${id}/captures` },
      },
      clientReferenceInformation: { code: p.clientReferenceInformation.code },
      id,
      orderInformation: { amountDetails: { totalAmount, authorizedAmount: totalAmount, currency } },
      paymentAccountInformation: { card: { type: cardType } },
      paymentInformation: { card: { type: cardType }, tokenizedCard: { type: cardType } },
      processorInformation: {
        approvalCode: "831000",
        responseCode: "00",
        transactionId: id.slice(-15),
        networkTransactionId: id.slice(-15),
        avs: { code: "Y", codeRaw: "Y" },
      },
      reconciliationId: id.slice(-16),
      status: "AUTHORIZED",
      submitTimeUtc: utc(at),
    },
    auth,
    id,
  );
}

/** A body over MAX_PAYMENT_BODY_BYTES: answered 413 and recorded (without tenant), before authentication. */
async function bodyTooLarge(opts: GatewayOptions, clientAddress: string | null): Promise<GatewayResponse> {
  const at = opts.now ?? new Date();
  const id = newRequestId(at.getTime());
  const environment = opts.environment;
  const over = await countFailure(clientAddress, at.getTime());
  if (!over.ok) return tooManyRequests(over, id, clientAddress);
  await recordRequest({
    id,
    at,
    environment,
    auth: null,
    httpStatus: 413,
    status: "INVALID_REQUEST",
    reason: "body too large",
  });
  const message = `Declined - The request is larger than ${MAX_PAYMENT_BODY_BYTES / 1024 / 1024} MiB`;
  return respond(413, invalidRequest(at, id, [], message), null, id);
}

/** A HeaderReader over node:http's `req.headers` (no copy into a `Headers`). */
export function nodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderReader {
  const get = (name: string) => {
    const v = headers[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  };
  return { get, has: (name) => headers[name] !== undefined };
}

/** One `POST /pts/v2/payments` as its server sees it, before the body is read. */
export interface IncomingPayment {
  method: string;
  pathWithQuery: string;
  headers: HeaderReader;
  /** The client's address (lib/http/client-ip.ts clientIp); null when unknown. */
  clientAddress: string | null;
  /** Reads at most `max` bytes of the body; null when there is more. */
  readBody(max: number): Promise<Uint8Array | null>;
  /** Drops the body unread (an address over the failure limit). */
  discardBody(): void;
}

/**
 * A payment request from any server: an address over the failure limit is answered 429
 * before the body is read; a body over MAX_PAYMENT_BODY_BYTES is 413; else handlePaymentRequest.
 * The route handler (gatewayPaymentsHandler) and lib/http/server.ts's direct path both call it.
 */
export async function servePayment(
  incoming: IncomingPayment,
  options: GatewayOptions,
): Promise<GatewayResponse> {
  const { clientAddress } = incoming;
  const limit = throttled(clientAddress);
  if (!limit.ok) {
    incoming.discardBody();
    return tooManyRequests(limit, newRequestId(), clientAddress);
  }
  const body = await incoming.readBody(MAX_PAYMENT_BODY_BYTES);
  if (body === null) return bodyTooLarge(options, clientAddress);
  return handlePaymentRequest(
    { method: incoming.method, pathWithQuery: incoming.pathWithQuery, headers: incoming.headers, body, clientAddress },
    options,
  );
}

/**
 * The route handler's core on standard Request/Response: reads the raw body bytes (at most
 * MAX_PAYMENT_BODY_BYTES), so the digest is checked over exactly what was sent. Mount it in
 * Next.js or a plain node:http server. The client's address is `clientIp` of the headers unless
 * given. An address over the failure limit is answered 429 before the body is read.
 */
export async function gatewayPaymentsHandler(
  request: Request,
  opts: Partial<GatewayOptions> & { clientAddress?: string | null } = {},
): Promise<Response> {
  const url = new URL(request.url);
  const { clientAddress: given, ...rest } = opts;
  const options = { environment: opts.environment ?? "TEST", ...rest };
  const res = await servePayment(
    {
      method: request.method,
      pathWithQuery: url.pathname + url.search,
      headers: request.headers,
      clientAddress: given === undefined ? clientIp(request.headers) : given,
      readBody: (max) => readLimited(request, max),
      discardBody: () => void request.body?.cancel().catch(() => undefined),
    },
    options,
  );
  return new Response(res.body, { status: res.status, headers: res.headers });
}
