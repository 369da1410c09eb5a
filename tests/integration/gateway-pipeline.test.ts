/**
 * The gateway's one pipeline (lib/gateway/pipeline.ts) on the served app (`npm start`'s direct
 * path, logging at info): every request to the three machine endpoints — REST payments, Simple
 * Order, Secure Acceptance — writes exactly one structured log line with its request ID, the
 * endpoint, the outcome, the HTTP status and the duration; no line carries the shared secret,
 * the signature, the card number or the form's signature.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signHttpSignature } from "@/lib/gateway/client";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { seed, serviceContext } from "../helpers/fixtures";
import { type ServedApp, startServedApp } from "../helpers/served-app";

let app: ServedApp;
let secret: { id: string; secret: string };

const CARD = "4111111111111111";
const PAYMENT = JSON.stringify({
  clientReferenceInformation: { code: "pipeline" },
  paymentInformation: { card: { number: CARD, expirationMonth: "12", expirationYear: "2031" } },
  orderInformation: { amountDetails: { totalAmount: "3.21", currency: "USD" } },
});

/** One POST on a raw socket (the signed Host is the SDK's, not the socket's). */
function post(
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: app.port,
        method: "POST",
        path,
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function pay(sharedSecret: string) {
  const signed = signHttpSignature({
    host: "apitest.cybersource.com",
    path: "/pts/v2/payments",
    body: PAYMENT,
    merchantId: "merchant12378",
    keyId: secret.id,
    sharedSecret,
  });
  return post(signed.path, signed.body, { ...signed.headers, host: signed.host });
}

/** The app's JSON log lines so far. */
function logLines(): Record<string, unknown>[] {
  return app
    .output()
    .split("\n")
    .flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return parsed && typeof parsed === "object" ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}

/** The log lines of `requestId`, once the app has written at least one. */
async function linesOf(requestId: string): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const lines = logLines().filter((l) => l.requestId === requestId);
    if (lines.length > 0 || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The request's one log line, which must match `expected`. */
async function oneLine(requestId: string, expected: Record<string, unknown>): Promise<Record<string, unknown>> {
  const lines = await linesOf(requestId);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject(expected);
  return lines[0]!;
}

beforeAll(async () => {
  await seed();
  const s = await createSharedSecretKey({ ctx: await serviceContext("merchant12378") });
  secret = { id: s.key.id, secret: s.secret };
  app = await startServedApp();
}, 900_000);

afterAll(async () => {
  await app?.stop();
});

describe("the gateway pipeline: one log line per request", () => {
  it("REST payments: accepted (info) and refused (warn), each once, without the secret or the card", async () => {
    const accepted = await pay(secret.secret);
    expect(accepted.status).toBe(201);
    const acceptedId = String(accepted.headers["v-c-correlation-id"]);
    const refused = await pay(Buffer.alloc(32, 7).toString("base64"));
    expect(refused.status).toBe(401);
    const refusedId = String(refused.headers["v-c-correlation-id"]);

    const ok = await oneLine(acceptedId, {
      level: "info",
      endpoint: "payments",
      outcome: "AUTHORIZED",
      httpStatus: 201,
      authType: "http_signature",
      merchantId: "merchant12378",
      keyId: secret.id,
      tenant: "merchant12378",
    });
    expect(ok.durationMs).toEqual(expect.any(Number));
    await oneLine(refusedId, { level: "warn", outcome: "AUTHENTICATION_FAILED", reason: "signature does not match" });

    const output = app.output();
    expect(output).not.toContain(secret.secret);
    expect(output).not.toContain(CARD);
  });

  it("Simple Order and Secure Acceptance refusals: one warn line each, with the request ID they answered", async () => {
    const soap = await post("/commerce/1.x/transactionProcessor", "this is not xml", { "content-type": "text/xml" });
    expect(soap.status).toBe(500);
    const soapId = /<c:requestID[^>]*>(\d{22})</.exec(soap.text)?.[1] ?? "";
    await oneLine(soapId, { level: "warn", endpoint: "simple order", outcome: "INVALID_REQUEST", tenant: null });

    const form = new URLSearchParams({
      access_key: "e".repeat(32),
      profile_id: "PRF-12378-WEB",
      signed_field_names: "access_key,profile_id,signed_field_names",
      signature: "c2lnbmF0dXJlLW9mLWEtZm9ybQ==",
    }).toString();
    const checkout = await post("/pay", form, { "content-type": "application/x-www-form-urlencoded" });
    expect(checkout.status).toBe(400);
    const checkoutId = /<dt>Request ID<\/dt><dd>(\d{22})<\/dd>/.exec(checkout.text)?.[1] ?? "";
    await oneLine(checkoutId, { endpoint: "secure acceptance", httpStatus: 400, authType: "secure_acceptance" });
    expect(app.output()).not.toContain("c2lnbmF0dXJlLW9mLWEtZm9ybQ==");
  });
});
