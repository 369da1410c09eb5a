/**
 * The served app, as `npm start` runs it: scripts/start.ts → scripts/server.ts → Next.js
 * behind lib/http/server.ts on one port. A payment signed by the official Cybersource SDK is
 * answered by the direct path (never by Next.js), with the gateway's security headers, its row
 * written and the key's use counted; a page route on the same port is Next's.
 *
 * Started by tests/helpers/served-app.ts (as the gateway, Simple Order and Secure Acceptance
 * tests start it). Needs a production build: KEYCENTER_DIST_DIR's (default .next), built once
 * when missing (a few minutes).
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { API_CSP } from "@/lib/http/security-headers";
import { seed, serviceContext } from "../helpers/fixtures";
import { type ServedApp, startServedApp } from "../helpers/served-app";

const require = createRequire(import.meta.url);
const cybersource = require("cybersource-rest-client");

let app: ServedApp;
let base = "";
let secret: { id: string; secret: string };

function sdkPay(keyId: string, key: string) {
  const api = new cybersource.PaymentsApi(
    {
      runEnvironment: "apitest.cybersource.com",
      intermediateHost: base,
      logConfiguration: { enableLog: false },
      authenticationType: "http_signature",
      merchantID: "merchant12378",
      merchantKeyId: keyId,
      merchantsecretKey: key,
    },
    new cybersource.ApiClient(),
  );
  const body = {
    clientReferenceInformation: { code: "served-app" },
    paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
    orderInformation: { amountDetails: { totalAmount: "12.34", currency: "USD" } },
  };
  return new Promise<{ status: number; data: Record<string, unknown> | null; headers: Record<string, string> }>(
    (resolve) => {
      api.createPayment(
        body,
        (
          error: { status?: number } | null,
          data: Record<string, unknown> | null,
          // The SDK's response: axios's headers as `header`.
          response: { status?: number; header?: Record<string, string> },
        ) => resolve({ status: response?.status ?? error?.status ?? 0, data, headers: { ...response?.header } }),
      );
    },
  );
}

describe("the served app (npm start): the gateway's direct path in front of Next.js", () => {
  beforeAll(async () => {
    await seed();
    const s = await createSharedSecretKey({ ctx: await serviceContext("merchant12378") });
    secret = { id: s.key.id, secret: s.secret };
    app = await startServedApp();
    base = app.base;
  }, 900_000);

  afterAll(async () => {
    await app?.stop();
  });

  it("answers an SDK-signed payment on the direct path, never through Next.js, and records it", async () => {
    const r = await sdkPay(secret.id, secret.secret);
    expect(r.status).toBe(201);
    expect(r.data).toMatchObject({ status: "AUTHORIZED" });
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    expect(headers["x-keycenter-served-by"]).toBe("direct");
    // Next.js marks what it answers (x-nextjs-*, Vary: rsc…); none of it is here.
    expect(Object.keys(headers).filter((h) => h.startsWith("x-nextjs"))).toEqual([]);
    expect(headers.vary ?? "").not.toMatch(/rsc/i);
    // The gateway's security headers, as withGatewayHeaders gives them.
    expect(headers["content-security-policy"]).toBe(API_CSP);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");

    const row = await prisma.gatewayTransaction.findFirstOrThrow({ where: { keyId: secret.id } });
    expect(row).toMatchObject({ merchantId: "merchant12378", httpStatus: 201, status: "AUTHORIZED", amount: "12.34" });
    const key = await prisma.key.findUniqueOrThrow({ where: { id: secret.id } });
    expect(key.useCount).toBe(1);
  });

  it("refuses a bad signature there too (401, recorded), and sends everything else to Next.js on the same port", async () => {
    const bad = await sdkPay(secret.id, Buffer.alloc(32, 1).toString("base64"));
    expect(bad.status).toBe(401);
    expect(await prisma.gatewayTransaction.count({ where: { keyId: secret.id, httpStatus: 401 } })).toBe(1);

    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get("x-keycenter-served-by")).toBeNull();
    // A GET on a gateway path is not the direct path's: Next.js answers it (405 from the route).
    const get = await fetch(`${base}/pts/v2/payments`);
    expect(get.headers.get("x-keycenter-served-by")).toBeNull();
    expect(get.status).toBe(405);
    // A page: proxy.ts's per-request nonce policy, not the gateway's.
    const page = await fetch(`${base}/sign-in`);
    expect(page.headers.get("content-security-policy")).toMatch(/nonce-/);
  });
});
