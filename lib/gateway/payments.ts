import { z } from "zod";
import { environmentCredentials } from "@/lib/crypto/environment";
import { type AuthResult, authenticate, type GatewayRequest } from "./authenticate";
import { cardTypeOf, luhn } from "./card";
import { decryptRequest, encryptedRequestOf, encryptResponse } from "./mle";
import type { Exchange, GatewayEndpoint, GatewayResponse, Handled, Refusal } from "./pipeline";

/**
 * `POST /pts/v2/payments` of the test gateway, as the pipeline's endpoint (pipeline.ts):
 * authenticate (authenticate.ts: HTTP Signature or JWT), open a Message-Level Encryption
 * wrapper, validate the payment and answer as the Cybersource sandbox does (G5).
 */

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

/** The answer, encrypted to the merchant's Response MLE key when the request named one. */
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

/** A refused payment: 401 (authentication), or 400 / 413 with the fields it names. */
type PaymentRefusal = Refusal & { details?: { field: string; reason: string }[]; message?: string };

/** An authenticated request refused as invalid: recorded and answered 400 (encrypted like any answer). */
async function invalid(
  x: Exchange,
  auth: AuthResult,
  reason: string,
  details: { field: string; reason: string }[],
  message: string,
): Promise<Handled<GatewayResponse>> {
  const answer = await respond(400, invalidRequest(x.at, x.id, details, message), auth, x.id);
  return { httpStatus: 400, status: "INVALID_REQUEST", reason, answer };
}

/** Validates and answers one authenticated payment. */
async function handlePayment(
  req: GatewayRequest,
  auth: AuthResult & { ok: true },
  x: Exchange,
): Promise<Handled<GatewayResponse>> {
  const { at, id } = x;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(req.body).toString("utf8"));
  } catch {
    return invalid(x, auth, "body is not JSON", [], "Declined - The request body is not valid JSON");
  }
  const jwe = encryptedRequestOf(body);
  if (jwe !== null) {
    try {
      const gatewayKey = (await environmentCredentials(x.environment)).gatewayMle.privateKeyPem;
      body = JSON.parse(Buffer.from(await decryptRequest(jwe, gatewayKey)).toString("utf8"));
    } catch {
      return invalid(
        x,
        auth,
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
    return invalid(
      x,
      auth,
      `invalid fields: ${details.map((d) => d.field).join(", ")}`,
      details,
      missing ? "Declined - The request is missing one or more fields" : INVALID_DATA_MESSAGE,
    );
  }

  const p = parsed.data;
  const { totalAmount, currency } = p.orderInformation.amountDetails;
  const cardType = cardTypeOf(p.paymentInformation.card.number);
  const answer = await respond(
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
  return { httpStatus: 201, status: "AUTHORIZED", reason: null, amount: totalAmount, currency, answer };
}

/** `POST /pts/v2/payments`'s parts of the pipeline. */
export const PAYMENTS: GatewayEndpoint<GatewayRequest, GatewayRequest, PaymentRefusal, GatewayResponse> = {
  name: "payments",
  maxBodyBytes: MAX_PAYMENT_BODY_BYTES,
  read: (body, { method, pathWithQuery, headers, clientAddress }) => ({
    method,
    pathWithQuery,
    headers,
    body,
    clientAddress,
  }),
  async authenticate(req, x) {
    const auth = await authenticate(req, { environment: x.environment, now: x.at });
    if (auth.ok) return { ok: true, auth, value: req };
    if (auth.badInput) {
      const details = [{ field: auth.badInput, reason: "INVALID_DATA" }];
      return {
        ok: false,
        refusal: { auth, httpStatus: 400, status: "INVALID_REQUEST", reason: auth.reason, details },
      };
    }
    return { ok: false, refusal: { auth, httpStatus: 401, status: "AUTHENTICATION_FAILED", reason: auth.reason } };
  },
  handle: handlePayment,
  tooLarge: () => ({
    auth: null,
    httpStatus: 413,
    status: "INVALID_REQUEST",
    reason: "body too large",
    message: `Declined - The request is larger than ${MAX_PAYMENT_BODY_BYTES / 1024 / 1024} MiB`,
  }),
  refuse(r, x) {
    if (r.httpStatus === 401) return respond(401, AUTHENTICATION_FAILED, r.auth, x.id);
    const answer = invalidRequest(x.at, x.id, r.details ?? [], r.message ?? INVALID_DATA_MESSAGE);
    return respond(r.httpStatus, answer, null, x.id);
  },
  tooMany: (retryAfterSeconds, x) => ({
    status: 429,
    headers: { ...JSON_HEADERS, "v-c-correlation-id": x.id, "retry-after": String(retryAfterSeconds) },
    body: JSON.stringify(TOO_MANY_REQUESTS),
  }),
  render: (answer) => answer,
};
