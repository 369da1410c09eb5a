import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { processSecureAcceptance, signCheckoutFields } from "@/lib/gateway/secure-acceptance";
import type { ServiceContext } from "@/lib/context";
import { createSecureAcceptanceKey } from "@/lib/keys/secret-keys";
import { POST } from "@/app/pay/route";
import { listTransactions } from "@/lib/gateway-transactions";
import { forgetThrottled } from "@/lib/gateway/throttle";
import { createLimits, resetLimit, setLimitsForTests } from "@/lib/rate-limit";
import { seed } from "../helpers/fixtures";
import { behindTrustedProxy, GATEWAY_FAILURE_LIMIT, type ServedApp, startServedApp } from "../helpers/served-app";

/**
 * Secure Acceptance hosted checkout (G7): the merchant's form POSTed to `/pay` on the served
 * app as `npm start` runs it (tests/helpers/served-app.ts), answered by lib/http/server.ts's
 * direct path; the receipt or error page read back. What no form can carry over HTTP (a lone
 * surrogate) or no served request lacks (a client address) is checked on the handler itself,
 * in the block labelled unit-level.
 */

const PROFILE = "PRF-12378-WEB";
const OTHER_PROFILE = "PRF-12378-MOB";

async function ctx(): Promise<ServiceContext> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
  const user = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
  return {
    actor: { actorId: user.id, actorEmail: user.email, ip: "127.0.0.1", userAgent: "vitest" },
    org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId },
    environment: "TEST",
  };
}

async function newKey(profile = PROFILE) {
  const r = await createSecureAcceptanceKey({
    ctx: await ctx(),
    name: `SA ${randomUUID().slice(0, 8)}`,
    signatureVersion: "1",
    signatureMethod: "HMAC-SHA256",
    securityProfileId: profile,
  });
  return { accessKey: r.accessKey, secretKey: r.secretKey };
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The merchant's side, written independently of lib/: fields, then the signature with node:crypto. */
function signed(
  key: { accessKey: string; secretKey: string },
  overrides: Record<string, string> = {},
  opts: { signedNames?: string[]; secret?: string } = {},
): Record<string, string> {
  const fields: Record<string, string> = {
    access_key: key.accessKey,
    profile_id: PROFILE,
    transaction_uuid: randomUUID(),
    signed_date_time: isoSeconds(new Date()),
    locale: "en-us",
    transaction_type: "sale",
    reference_number: `ref-${randomUUID().slice(0, 8)}`,
    amount: "42.50",
    currency: "USD",
    ...overrides,
  };
  const names = opts.signedNames ?? [...Object.keys(fields), "signed_field_names"];
  fields.signed_field_names = names.join(",");
  const data = names.map((n) => `${n}=${fields[n]}`).join(",");
  fields.signature = createHmac("sha256", opts.secret ?? key.secretKey)
    .update(data)
    .digest("base64");
  return fields;
}

async function transactionCount() {
  return prisma.gatewayTransaction.count({ where: { authType: "secure_acceptance" } });
}

let app: ServedApp;

/** The form POSTed to the served app's /pay; `headers`: more request headers (X-Forwarded-For). */
function post(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${app.base}/pay`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** What the served answer says: its status, and the page's Decision, Amount, Reference number, Request ID. */
interface Paid {
  ok: boolean;
  httpStatus: number;
  decision: string | null;
  requestId: string;
  amount?: string;
  currency?: string;
  referenceNumber?: string;
  retryAfterSeconds?: number;
  html: string;
}

const unescapeHtml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);

/** Checkout through the served app: the form POSTed to /pay, the receipt or error page read. */
async function pay(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Paid> {
  const res = await post(fields, headers);
  const html = await res.text();
  const dd = (dt: string) => {
    const m = new RegExp(`<dt>${dt}</dt><dd>([^<]*)</dd>`).exec(html);
    return m ? unescapeHtml(m[1]!) : undefined;
  };
  const [amount, currency] = dd("Amount")?.split(" ") ?? [];
  const retryAfter = res.headers.get("retry-after");
  return {
    ok: res.status === 200,
    httpStatus: res.status,
    decision: dd("Decision") ?? null,
    requestId: dd("Request ID") ?? "",
    ...(amount !== undefined ? { amount, currency } : {}),
    ...(dd("Reference number") !== undefined ? { referenceNumber: dd("Reference number") } : {}),
    ...(retryAfter !== null ? { retryAfterSeconds: Number(retryAfter) } : {}),
    html,
  };
}

/**
 * Sends `fields` (through the served app, or `via` given), expects a refusal with `status`,
 * and that the request was recorded with `reason`.
 */
async function expectRefused(
  fields: Record<string, string>,
  status: 400 | 401,
  reason: RegExp,
  via: (fields: Record<string, string>) => Promise<{ ok: boolean; httpStatus: number; requestId: string }> = pay,
) {
  const before = await transactionCount();
  const result = await via(fields);
  expect(result.ok).toBe(false);
  expect(result.httpStatus).toBe(status);
  expect(await transactionCount()).toBe(before + 1);
  const row = await prisma.gatewayTransaction.findUniqueOrThrow({ where: { id: result.requestId } });
  expect(row.status).toBe(status === 401 ? "AUTHENTICATION_FAILED" : "INVALID_REQUEST");
  expect(row.reason).toMatch(reason);
  return row;
}

let key: { accessKey: string; secretKey: string };

beforeAll(async () => {
  await seed();
  key = await newKey();
  app = await startServedApp({ env: behindTrustedProxy() });
}, 900_000);

afterAll(async () => {
  await app?.stop();
});

describe("Secure Acceptance checkout, through the served app", () => {
  it("accepts a request signed with the secret key and records it against the profile's org", async () => {
    const fields = signed(key);
    const result = await pay(fields);
    expect(result).toMatchObject({
      ok: true,
      httpStatus: 200,
      decision: "ACCEPT",
      amount: "42.50",
      currency: "USD",
      referenceNumber: fields.reference_number,
    });
    expect(result.requestId).toMatch(/^\d{22}$/);
    const row = await prisma.gatewayTransaction.findUniqueOrThrow({ where: { id: result.requestId } });
    expect(row).toMatchObject({
      merchantId: "merchant12378",
      keyId: key.accessKey,
      authType: "secure_acceptance",
      applications: ["sale"],
      httpStatus: 200,
      status: "ACCEPT",
      amount: "42.50",
      currency: "USD",
      environment: "TEST",
    });
    const k = await prisma.key.findUniqueOrThrow({ where: { id: key.accessKey } });
    expect(k.useCount).toBe(1);
  });

  it("records an authorization as the authorization application", async () => {
    const result = await pay(signed(key, { transaction_type: "authorization" }));
    expect(result.ok).toBe(true);
    const row = await prisma.gatewayTransaction.findUniqueOrThrow({ where: { id: result.requestId } });
    expect(row.applications).toEqual(["authorization"]);
  });

  it("accepts the fields the sample merchant form signs", async () => {
    const fields = signCheckoutFields({
      ...key,
      profileId: PROFILE,
      amount: "10.00",
      currency: "EUR",
      referenceNumber: "sample-1",
      transactionType: "sale",
    });
    expect(fields).not.toHaveProperty("secretKey");
    expect(Object.values(fields)).not.toContain(key.secretKey);
    expect((await pay(fields)).ok).toBe(true);
  });

  it("refuses a wrong signature", async () => {
    const fields = signed(key, {}, { secret: "not-the-secret" });
    await expectRefused(fields, 401, /signature mismatch/);
  });

  it("refuses a field changed after signing", async () => {
    const fields = { ...signed(key), amount: "0.01" };
    await expectRefused(fields, 401, /signature mismatch/);
  });

  it("refuses an unknown access key, and records it without tenant (a real profile ID is not enough)", async () => {
    const row = await expectRefused(signed({ ...key, accessKey: "f".repeat(32) }), 401, /unknown access key/);
    expect(row.merchantId).toBeNull();
    expect(row.keyId).toBeNull();
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
    const list = await listTransactions({ scope: org, environment: "TEST", requestId: row.id });
    expect(list.total).toBe(0);
  });

  it("a real key with a bad signature is still on its merchant's list", async () => {
    const row = await expectRefused(signed(key, {}, { secret: "not-the-secret" }), 401, /signature mismatch/);
    expect(row).toMatchObject({ merchantId: "merchant12378", keyId: key.accessKey });
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
    expect((await listTransactions({ scope: org, environment: "TEST", requestId: row.id })).total).toBe(1);
  });

  it("caps what it records: a huge list of made-up signed field names", async () => {
    const names = Array.from({ length: 150 }, (_, i) => `made_up_field_${i}`);
    const fields = signed(key);
    fields.signed_field_names = [...fields.signed_field_names!.split(","), ...names].join(",");
    const row = await expectRefused(fields, 400, /signed fields missing/);
    expect(row.reason!.length).toBeLessThanOrEqual(500);
  });

  it("refuses NUL, lone surrogates and huge values before any lookup, with 400", async () => {
    // A lone surrogate cannot travel in a form (UTF-8 has none): unit-level, below.
    const cases: Record<string, string>[] = [
      { access_key: `${key.accessKey}\u0000` },
      { profile_id: `${PROFILE}\u0000` },
      { profile_id: "P".repeat(101) },
      { locale: "x".repeat(5000) },
      { "bad\u0000name": "1" },
    ];
    for (const over of cases) {
      const row = await expectRefused(signed(key, over), 400, /./);
      expect(row).toMatchObject({ merchantId: null, keyId: null });
    }
  });

  it("refuses a key used with another profile of the same merchant", async () => {
    await expectRefused(signed(key, { profile_id: OTHER_PROFILE }), 401, /not a key of this security profile/);
  });

  it("refuses a deactivated key, a deleted key and an expired key", async () => {
    const deactivated = await newKey();
    await prisma.key.update({ where: { id: deactivated.accessKey }, data: { deactivatedAt: new Date() } });
    await expectRefused(signed(deactivated), 401, /deactivated/);
    const deleted = await newKey();
    await prisma.key.update({ where: { id: deleted.accessKey }, data: { deletedAt: new Date() } });
    await expectRefused(signed(deleted), 401, /deleted/);
    const expired = await newKey();
    await prisma.key.update({ where: { id: expired.accessKey }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefused(signed(expired), 401, /expired/);
  });

  it("refuses a key of a merchant ID that is inactive, as the other gateway endpoints do", async () => {
    const sibling = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
    const org = await prisma.organization.create({
      data: {
        id: "merchant12399",
        name: "Closed Store",
        type: "MERCHANT",
        parentId: sibling.parentId,
        portfolioId: sibling.portfolioId,
        accountId: sibling.accountId,
      },
    });
    await prisma.securityProfile.create({ data: { id: "PRF-12399-WEB", orgId: org.id, name: "Web" } });
    const base = await ctx();
    const r = await createSecureAcceptanceKey({
      ctx: { ...base, org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId } },
      name: "SA of a store about to close",
      signatureVersion: "1",
      signatureMethod: "HMAC-SHA256",
      securityProfileId: "PRF-12399-WEB",
    });
    const closing = { accessKey: r.accessKey, secretKey: r.secretKey };
    expect((await pay(signed(closing, { profile_id: "PRF-12399-WEB" }))).ok).toBe(true);
    await prisma.organization.update({ where: { id: org.id }, data: { status: "INACTIVE" } });
    const row = await expectRefused(
      signed(closing, { profile_id: "PRF-12399-WEB" }),
      401,
      /merchant ID merchant12399 is inactive/,
    );
    expect(row).toMatchObject({ merchantId: "merchant12399", keyId: closing.accessKey });
  });

  it("refuses a production key", async () => {
    const prod = await newKey();
    await prisma.key.update({ where: { id: prod.accessKey }, data: { environment: "PRODUCTION" } });
    await expectRefused(signed(prod), 401, /test-environment/);
  });

  it("refuses a signed_date_time older (or later) than 15 minutes", async () => {
    const stale = isoSeconds(new Date(Date.now() - 16 * 60_000));
    await expectRefused(signed(key, { signed_date_time: stale }), 401, /15-minute/);
    const future = isoSeconds(new Date(Date.now() + 16 * 60_000));
    await expectRefused(signed(key, { signed_date_time: future }), 401, /15-minute/);
    const fresh = isoSeconds(new Date(Date.now() - 14 * 60_000));
    expect((await pay(signed(key, { signed_date_time: fresh }))).ok).toBe(true);
  });

  it("refuses a replayed transaction_uuid, even re-signed", async () => {
    const fields = signed(key);
    expect((await pay(fields)).ok).toBe(true);
    await expectRefused(fields, 401, /already used/);
    await expectRefused(signed(key, { transaction_uuid: fields.transaction_uuid! }), 401, /already used/);
  });

  it("refuses concurrent replays: exactly one of two identical requests is accepted", async () => {
    const fields = signed(key);
    const results = await Promise.all([pay(fields), pay(fields)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("refuses signed_field_names that does not list itself", async () => {
    const names = [
      "access_key",
      "profile_id",
      "transaction_uuid",
      "signed_date_time",
      "locale",
      "transaction_type",
      "reference_number",
      "amount",
      "currency",
    ];
    await expectRefused(signed(key, {}, { signedNames: names }), 400, /does not list itself/);
  });

  it("refuses a request that leaves the amount unsigned", async () => {
    const names = [
      "access_key",
      "profile_id",
      "transaction_uuid",
      "signed_field_names",
      "signed_date_time",
      "transaction_type",
      "reference_number",
      "currency",
    ];
    await expectRefused(signed(key, {}, { signedNames: names }), 400, /not signed: amount/);
  });

  it("refuses malformed values", async () => {
    await expectRefused(signed(key, { amount: "-1" }), 400, /amount/);
    await expectRefused(signed(key, { currency: "US" }), 400, /currency/);
    await expectRefused(signed(key, { transaction_type: "refund" }), 400, /transaction_type/);
    await expectRefused(signed(key, { signed_date_time: "2026-11-28 12:00:00" }), 400, /ISO 8601/);
  });
});

describe("POST /pay on the served app", () => {
  it("answers a signed form with a receipt: ACCEPT, amount, reference number, request ID", async () => {
    const fields = signed(key, { reference_number: "<order & 1>" });
    const res = await post(fields);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("ACCEPT");
    expect(html).toContain("42.50 USD");
    expect(html).toContain("&lt;order &amp; 1&gt;");
    expect(html).toMatch(/<dt>Request ID<\/dt><dd>\d{22}<\/dd>/);
  });

  it("answers every refusal alike, without saying which check failed", async () => {
    const wrongSig = await post(signed(key, {}, { secret: "x" }));
    const unknownKey = await post(signed({ ...key, accessKey: "e".repeat(32) }));
    const [a, b] = [await wrongSig.text(), await unknownKey.text()];
    expect(wrongSig.status).toBe(401);
    expect(unknownKey.status).toBe(401);
    const strip = (h: string) => h.replace(/\d{22}/, "");
    expect(strip(a)).toBe(strip(b));
    expect(a).not.toMatch(/mismatch|unknown/i);
    const bad = await post({ amount: "1" });
    expect(bad.status).toBe(400);
  });

  it("NUL in access_key or profile_id is a 400 page, not a 500", async () => {
    const cases: Record<string, string>[] = [
      { access_key: "\u0000" },
      { profile_id: "\u0000" },
      { access_key: `${key.accessKey}\u0000` },
    ];
    for (const over of cases) {
      const res = await post(signed(key, over));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("Payment not processed");
    }
  });

  it("repeated failures from one address are answered 429 with Retry-After, before any lookup", async () => {
    // By address, as the trusted proxy in front names it (X-Forwarded-For; the app's limit:
    // GATEWAY_FAILURE_LIMIT per 60 s): the next failure is 429, then even a good request.
    const from = { "x-forwarded-for": "203.0.113.30" };
    for (let i = 0; i < GATEWAY_FAILURE_LIMIT; i++) {
      expect((await pay(signed(key, {}, { secret: "x" }), from)).httpStatus).toBe(401);
    }
    const limited = await pay(signed(key, {}, { secret: "x" }), from);
    expect(limited).toMatchObject({ ok: false, httpStatus: 429 });
    expect(limited.ok === false && limited.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.html).toContain("Too many failed payment requests");
    expect((await pay(signed(key), from)).httpStatus).toBe(429);
    expect((await pay(signed(key), { "x-forwarded-for": "198.51.100.30" })).ok).toBe(true);
  });

  it("refuses a body over 64 KiB with 413, streamed without a Content-Length too", async () => {
    const big = new TextEncoder().encode(`amount=${"1".repeat(64 * 1024)}`);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 8192) controller.enqueue(big.slice(i, i + 8192));
        controller.close();
      },
    });
    const streamed = await fetch(`${app.base}/pay`, {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.text()).toContain("too large");
    expect((await post({ amount: "1".repeat(64 * 1024) })).status).toBe(413);
  });
});

describe("Secure Acceptance, unit-level: what no served request can be (the handler and route called in-process)", () => {
  it("refuses a lone surrogate (no form can carry one over HTTP) before any lookup, with 400", async () => {
    const row = await expectRefused(signed(key, { access_key: "\ud800" }), 400, /./, (f) => processSecureAcceptance(f));
    expect(row).toMatchObject({ merchantId: null, keyId: null });
  });

  it("without a client address (the route called in-process, no server stamped a peer): failures count under one shared key", async () => {
    setLimitsForTests(createLimits({ rules: { "gateway.ip": { points: 2, durationSeconds: 60 } } }));
    forgetThrottled();
    const postInProcess = (fields: Record<string, string>) =>
      POST(
        new Request("http://localhost/pay", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(fields).toString(),
        }),
      );
    try {
      // Through the route, without an address: failures count under one shared key; a good request still passes.
      await resetLimit("gateway.ip", "unknown");
      for (let i = 0; i < 2; i++) expect((await postInProcess(signed(key, {}, { secret: "x" }))).status).toBe(401);
      const page = await postInProcess(signed(key, {}, { secret: "x" }));
      expect(page.status).toBe(429);
      expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await page.text()).toContain("Too many failed payment requests");
      expect((await postInProcess(signed(key))).status).toBe(200);
    } finally {
      await resetLimit("gateway.ip", "unknown");
      setLimitsForTests(null);
      forgetThrottled();
    }
  });
});
