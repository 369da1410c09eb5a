import { request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { createHash, createPrivateKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { CompactSign } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { signHttpSignature, signJwt } from "@/lib/gateway/client";
import { disconnectGatewayDb } from "@/lib/gateway/db";
import { listTransactions } from "@/lib/gateway-transactions";
import { createCertificateKey } from "@/lib/keys/certificate-keys";
import type { MetaRequest } from "@/lib/keys/meta-request";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { seed, serviceContext } from "../helpers/fixtures";
import { transactionReader } from "../helpers/gateway";
import { Workdir } from "../helpers/openssl";
import {
  behindTrustedProxy,
  GATEWAY_FAILURE_LIMIT,
  postStreamed,
  type RecordingProxy,
  type ServedApp,
  startRecordingProxy,
  startServedApp,
} from "../helpers/served-app";

/**
 * The test gateway driven by the official Cybersource SDK (cybersource-rest-client) over a
 * real socket, against the served app as `npm start` runs it (tests/helpers/served-app.ts):
 * `POST /pts/v2/payments` answered by lib/http/server.ts's direct path. Where a test needs to
 * see the wire (the SDK's request to replay it, an answer before the SDK decrypts it), the SDK
 * goes through a recording reverse proxy in front of the app. The client's address is named
 * as a proxy names it: X-Forwarded-For from 127.0.0.1, a trusted proxy here.
 */
const require = createRequire(import.meta.url);
const cybersource = require("cybersource-rest-client");

let app: ServedApp;
let proxy: RecordingProxy;
/** The served app's port: every request but the proxied SDK ones goes straight to it. */
let port = 0;
const work = new Workdir();
const PASSWORD = "gateway-test-password-1";

const ctxFor = serviceContext;

const PAYMENT = {
  clientReferenceInformation: { code: "TC50171_3" },
  processingInformation: { commerceIndicator: "internet" },
  paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
  orderInformation: {
    amountDetails: { totalAmount: "102.21", currency: "USD" },
    billTo: { firstName: "John", lastName: "Doe", country: "US", email: "test@cybs.com" },
  },
};

interface SdkOutcome {
  status: number;
  data: Record<string, unknown> | null;
  error: unknown;
}

/**
 * One createPayment call with the official SDK; the body is a fresh copy (the SDK adds to it).
 * `via`: the base URL it talks to (default the app itself; the recording proxy's to see the wire).
 */
function sdkPay(
  config: Record<string, unknown>,
  body: object = PAYMENT,
  via = `http://127.0.0.1:${port}`,
): Promise<SdkOutcome> {
  const merchantConfig = {
    runEnvironment: "apitest.cybersource.com",
    intermediateHost: via,
    logConfiguration: { enableLog: false },
    ...config,
  };
  const api = new cybersource.PaymentsApi(merchantConfig, new cybersource.ApiClient());
  return new Promise((resolve) => {
    api.createPayment(
      structuredClone(body),
      (error: { status?: number } | null, data: Record<string, unknown> | null, response: { status?: number }) => {
        resolve({ status: response?.status ?? error?.status ?? 0, data, error });
      },
    );
  });
}

const httpSig = (mid: string, keyId: string, secret: string, extra: Record<string, unknown> = {}) => ({
  authenticationType: "http_signature",
  merchantID: mid,
  merchantKeyId: keyId,
  merchantsecretKey: secret,
  ...extra,
});

const jwtP12 = (mid: string, file: string, extra: Record<string, unknown> = {}) => ({
  authenticationType: "jwt",
  merchantID: mid,
  keysDirectory: work.dir,
  keyFileName: file,
  keyAlias: mid,
  keyPass: PASSWORD,
  ...extra,
});

/** The one transaction row written since the last call. */
const newTransaction = transactionReader();

async function p12For(
  orgId: string,
  file: string,
  opts: { meta?: MetaRequest; type?: "REST_CERTIFICATE" | "REST_RESPONSE_MLE" } = {},
) {
  const { key, p12 } = await createCertificateKey({
    ctx: await ctxFor(orgId, { meta: opts.meta }),
    type: opts.type ?? "REST_CERTIFICATE",
    password: PASSWORD,
  });
  work.write(`${file}.p12`, p12);
  return key;
}

let merchantSecret: { id: string; secret: string };
let merchantCert: { id: string };

describe("test gateway, POST /pts/v2/payments, with the official Cybersource SDK", () => {
  beforeAll(async () => {
    await seed();
    proxy = await startRecordingProxy();
    app = await startServedApp({
      env: {
        ...behindTrustedProxy(),
        // The SDK signs the host it talks to: the proxy's too, as a deployment lists its public host.
        KEYCENTER_GATEWAY_HOSTS: proxy.host,
      },
    });
    proxy.forwardTo(app.port);
    port = app.port;
    const s = await createSharedSecretKey({ ctx: await ctxFor("merchant12378") });
    merchantSecret = { id: s.key.id, secret: s.secret };
    merchantCert = await p12For("merchant12378", "merchant12378");
  }, 900_000);

  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
    await disconnectGatewayDb();
    work.remove();
  });

  it("HTTP Signature with a KeyCenter shared secret is authorized (201) and recorded for the MID and key", async () => {
    const before = await prisma.key.findUniqueOrThrow({ where: { id: merchantSecret.id } });
    const r = await sdkPay(httpSig("merchant12378", merchantSecret.id, merchantSecret.secret));
    expect(r.status).toBe(201);
    expect(r.data?.status).toBe("AUTHORIZED");
    expect(String(r.data?.id)).toMatch(/^\d{22}$/);
    const tx = await newTransaction();
    expect(tx).toMatchObject({
      id: r.data?.id,
      environment: "TEST",
      merchantId: "merchant12378",
      keyId: merchantSecret.id,
      metaKeyOwner: null,
      authType: "http_signature",
      applications: ["authorization"],
      httpStatus: 201,
      status: "AUTHORIZED",
      amount: "102.21",
      currency: "USD",
    });
    const after = await prisma.key.findUniqueOrThrow({ where: { id: merchantSecret.id } });
    expect(after.useCount).toBe(before.useCount + 1);
    expect(after.lastUsedAt).not.toBeNull();
  });

  it("JWT (RS256) with a KeyCenter .p12 is authorized and recorded", async () => {
    const r = await sdkPay(jwtP12("merchant12378", "merchant12378"));
    expect(r.status).toBe(201);
    expect(r.data?.status).toBe("AUTHORIZED");
    expect(await newTransaction()).toMatchObject({
      merchantId: "merchant12378",
      keyId: merchantCert.id,
      authType: "jwt",
      httpStatus: 201,
      status: "AUTHORIZED",
    });
  });

  it("JWT (HS256) with a shared secret (jwtKeyType SHARED_SECRET) is authorized", async () => {
    const r = await sdkPay({
      authenticationType: "jwt",
      jwtKeyType: "SHARED_SECRET",
      merchantID: "merchant12378",
      merchantKeyId: merchantSecret.id,
      merchantsecretKey: merchantSecret.secret,
    });
    expect(r.status).toBe(201);
    expect(await newTransaction()).toMatchObject({ keyId: merchantSecret.id, authType: "jwt", httpStatus: 201 });
  });

  it("a JWT in the older x5c form (SDK ≤ 0.0.76) is authorized when its certificate is the key's", async () => {
    const pem = work.pkcs12(work.path("merchant12378.p12"), PASSWORD, "-nocerts", "-nodes");
    const key = createPrivateKey(pem.slice(pem.indexOf("-----BEGIN")));
    const cert = (await prisma.key.findUniqueOrThrow({ where: { id: merchantCert.id } })).certificatePem!;
    const der = cert.replace(/-----[A-Z ]+-----|\s/g, "");
    const body = JSON.stringify(PAYMENT);
    // As jwt-simple signed it in those SDKs: iat is a date string, the MID is in the header.
    const claims = {
      digest: createHash("sha256").update(body).digest("base64"),
      digestAlgorithm: "SHA-256",
      iat: new Date().toUTCString(),
    };
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: "RS256", "v-c-merchant-id": "merchant12378", x5c: [der] })
      .sign(key);
    const res = await fetch(`http://127.0.0.1:${port}/pts/v2/payments`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body,
    });
    expect(res.status).toBe(201);
    expect(await newTransaction()).toMatchObject({
      keyId: merchantCert.id,
      merchantId: "merchant12378",
      httpStatus: 201,
    });
  });

  describe("meta keys", () => {
    let metaSecret: { id: string; secret: string };
    let metaCert: { id: string };
    beforeAll(async () => {
      const meta: MetaRequest = { scope: "CUSTOM", mids: ["merchant12378"] };
      const s = await createSharedSecretKey({ ctx: await ctxFor("portfolioabc", { meta }) });
      metaSecret = { id: s.key.id, secret: s.secret };
      metaCert = await p12For("portfolioabc", "portfolioabc", { meta });
    });

    const metaSig = (mid: string) =>
      httpSig(mid, metaSecret.id, metaSecret.secret, { useMetaKey: true, portfolioID: "portfolioabc" });
    const metaJwt = (mid: string) =>
      jwtP12(mid, "portfolioabc", { useMetaKey: true, portfolioID: "portfolioabc", keyAlias: "portfolioabc" });

    it("a portfolio meta key signs (HTTP Signature) for an assigned MID; the transaction belongs to the MID", async () => {
      const r = await sdkPay(metaSig("merchant12378"));
      expect(r.status).toBe(201);
      expect(await newTransaction()).toMatchObject({
        merchantId: "merchant12378",
        keyId: metaSecret.id,
        metaKeyOwner: "portfolioabc",
        httpStatus: 201,
      });
    });

    it("a portfolio meta key signs (JWT .p12) for an assigned MID", async () => {
      const r = await sdkPay(metaJwt("merchant12378"));
      expect(r.status).toBe(201);
      expect(await newTransaction()).toMatchObject({
        merchantId: "merchant12378",
        keyId: metaCert.id,
        metaKeyOwner: "portfolioabc",
        authType: "jwt",
        httpStatus: 201,
      });
    });

    it("a meta key is refused (401) for a MID below the owner that it is not assigned to, with both schemes", async () => {
      for (const config of [metaSig("merchant45601"), metaJwt("merchant45601")]) {
        const r = await sdkPay(config);
        expect(r.status).toBe(401);
        const tx = await newTransaction();
        expect(tx).toMatchObject({ merchantId: "merchant45601", httpStatus: 401, status: "AUTHENTICATION_FAILED" });
        expect(tx.reason).toMatch(/not assigned/);
      }
    });

    it("a meta key for All MIDs works until the owner turns meta keys off, then is refused", async () => {
      await prisma.orgSettings.upsert({
        where: { orgId: "acme_acct" },
        create: { orgId: "acme_acct", metaKeysEnabled: true },
        update: { metaKeysEnabled: true },
      });
      const s = await createSharedSecretKey({ ctx: await ctxFor("acme_acct", { meta: { scope: "ALL" } }) });
      const config = httpSig("merchant12379", s.key.id, s.secret, { useMetaKey: true, portfolioID: "acme_acct" });
      expect((await sdkPay(config)).status).toBe(201);
      expect(await newTransaction()).toMatchObject({ merchantId: "merchant12379", metaKeyOwner: "acme_acct" });
      await prisma.orgSettings.upsert({
        where: { orgId: "acme_acct" },
        create: { orgId: "acme_acct", metaKeysEnabled: false },
        update: { metaKeysEnabled: false },
      });
      expect((await sdkPay(config)).status).toBe(401);
      expect((await newTransaction()).reason).toMatch(/meta keys are turned off/);
    });
  });

  describe("message-level encryption", () => {
    it("a request encrypted to the gateway's CyberSource_SJC_US certificate from the .p12 is decrypted and authorized", async () => {
      const r = await sdkPay(
        jwtP12("merchant12378", "merchant12378", { enableRequestMLEForOptionalApisGlobally: true }),
      );
      expect(r.status).toBe(201);
      expect(r.data?.clientReferenceInformation).toMatchObject({ code: "TC50171_3" });
      expect(await newTransaction()).toMatchObject({ httpStatus: 201, amount: "102.21" });
    });

    it("the response is encrypted to the merchant's REST – API Response MLE key, and the SDK decrypts it", async () => {
      const mleKey = await p12For("merchant12378", "merchant12378-response-mle", { type: "REST_RESPONSE_MLE" });
      const mle = {
        enableRequestMLEForOptionalApisGlobally: true,
        enableResponseMleGlobally: true,
        responseMlePrivateKeyFilePath: work.path("merchant12378-response-mle.p12"),
        responseMlePrivateKeyFilePassword: PASSWORD,
      };
      const r = await sdkPay(jwtP12("merchant12378", "merchant12378", mle));
      expect(r.status).toBe(201);
      expect(r.data?.status).toBe("AUTHORIZED");
      expect(await newTransaction()).toMatchObject({ httpStatus: 201 });

      // What went over the wire was a JWE, for errors too.
      const raw = await sdkRaw(jwtP12("merchant12378", "merchant12378", mle), {
        clientReferenceInformation: { code: "x" },
      });
      expect(raw.status).toBe(400);
      expect(Object.keys(raw.body)).toEqual(["encryptedResponse"]);
      expect((await newTransaction()).httpStatus).toBe(400);

      // A deactivated response MLE key is not encrypted to: the request is refused.
      await prisma.key.update({ where: { id: mleKey.id }, data: { deactivatedAt: new Date() } });
      expect((await sdkPay(jwtP12("merchant12378", "merchant12378", mle))).status).toBe(401);
      expect((await newTransaction()).reason).toMatch(/response MLE key/);
    });
  });

  describe("refusals answer 401 without saying why, and record the reason", () => {
    async function expectRefused(r: SdkOutcome, reason: RegExp, merchantId = "merchant12378") {
      expect(r.status).toBe(401);
      const tx = await newTransaction();
      expect(tx).toMatchObject({ merchantId, httpStatus: 401, status: "AUTHENTICATION_FAILED" });
      expect(tx.reason).toMatch(reason);
      return tx;
    }

    it("a wrong shared secret", async () => {
      const wrong = Buffer.alloc(32, 1).toString("base64");
      const tx = await expectRefused(
        await sdkPay(httpSig("merchant12378", merchantSecret.id, wrong)),
        /signature does not match/,
      );
      expect(tx.keyId).toBe(merchantSecret.id);
    });

    it("the body of every refusal is the same", async () => {
      const wrong = Buffer.alloc(32, 1).toString("base64");
      const signed = signedByMerchant({ sharedSecret: wrong });
      const res = await send(signed);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ response: { rmsg: "Authentication Failed" } });
      await newTransaction();
    });

    it("a deleted key stops working at once", async () => {
      const s = await createSharedSecretKey({ ctx: await ctxFor("merchant12378") });
      expect((await sdkPay(httpSig("merchant12378", s.key.id, s.secret))).status).toBe(201);
      await newTransaction();
      await prisma.key.update({ where: { id: s.key.id }, data: { deletedAt: new Date() } });
      await expectRefused(await sdkPay(httpSig("merchant12378", s.key.id, s.secret)), /key deleted/);
    });

    it("a deactivated key and an expired key", async () => {
      const a = await createSharedSecretKey({ ctx: await ctxFor("merchant12378") });
      // Used first, so the gateway has opened (and keeps) its secret: the row still decides.
      expect((await sdkPay(httpSig("merchant12378", a.key.id, a.secret))).status).toBe(201);
      await newTransaction();
      await prisma.key.update({ where: { id: a.key.id }, data: { deactivatedAt: new Date() } });
      await expectRefused(await sdkPay(httpSig("merchant12378", a.key.id, a.secret)), /deactivated/);
      const b = await p12For("merchant12378", "merchant12378-expired");
      await prisma.key.update({ where: { id: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await expectRefused(await sdkPay(jwtP12("merchant12378", "merchant12378-expired")), /expired/);
    });

    it("a production key on the test gateway", async () => {
      const s = await createSharedSecretKey({ ctx: await ctxFor("merchant12378", { environment: "PRODUCTION" }) });
      await expectRefused(await sdkPay(httpSig("merchant12378", s.key.id, s.secret)), /PRODUCTION/);
    });

    it("another merchant's key: shown to the key's owner, not to the merchant ID it named", async () => {
      const tx = await expectRefused(
        await sdkPay(httpSig("merchant12379", merchantSecret.id, merchantSecret.secret)),
        /belongs to merchant12378, not merchant12379/,
        "merchant12378",
      );
      expect(await onListOf("merchant12379", tx.id)).toBe(false);
      expect(await onListOf("merchant12378", tx.id)).toBe(true);
    });

    it("a body that does not match the digest", async () => {
      const signed = signedByMerchant();
      const res = await send({ ...signed, body: signed.body.replace("102.21", "1002.21") });
      expect(res.status).toBe(401);
      expect((await newTransaction()).reason).toMatch(/digest/);
    });

    it("a date older than five minutes", async () => {
      const signed = signedByMerchant({ date: new Date(Date.now() - 6 * 60 * 1000) });
      expect((await send(signed)).status).toBe(401);
      expect((await newTransaction()).reason).toMatch(/date/);
    });

    it("a host the gateway does not answer to", async () => {
      const signed = signedByMerchant({ host: "evil.example.com" });
      expect(await sendWithHost(signed, "evil.example.com")).toBe(401);
      expect((await newTransaction()).reason).toMatch(/host/);
    });

    it("a JWT for another body (digest claim)", async () => {
      const signed = await jwtByMerchant();
      expect((await send({ ...signed, body: signed.body.replace("102.21", "1.00") })).status).toBe(401);
      expect((await newTransaction()).reason).toMatch(/digest/);
    });
  });

  describe("who sees a refusal: only the org whose real key it named (issue 12 §5)", () => {
    /** An unsigned attempt: a made-up HMAC over nothing, with the key ID and merchant ID given. */
    function unsigned(keyId: string, merchantId: string, extra: Record<string, string> = {}) {
      const signed = signedByMerchant();
      return send(signed, {
        "v-c-merchant-id": merchantId,
        signature: `keyid="${keyId}", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="${Buffer.alloc(32, 7).toString("base64")}"`,
        ...extra,
      });
    }

    it("a made-up key ID for a real merchant is recorded without tenant and is on nobody's list", async () => {
      for (const [keyId, mid] of [
        ["made-up-key", "initech01"],
        [randomUUID(), "merchant12378"],
        ["k".repeat(100), "merchant12378"],
      ] as const) {
        const res = await unsigned(keyId, mid);
        expect(res.status).toBe(401);
        const tx = await newTransaction();
        expect(tx).toMatchObject({ merchantId: null, keyId: null, metaKeyOwner: null, httpStatus: 401 });
        expect(tx.reason).toMatch(/unknown key/);
        for (const org of [mid, "acme_acct", "portfolioabc", "initech_portfolio"]) {
          expect(await onListOf(org, tx.id)).toBe(false);
        }
      }
    });

    it("a made-up merchant ID and key ID, and a JWT naming a made-up kid, have no tenant either", async () => {
      expect((await unsigned("made-up-key", "nosuchmerchant")).status).toBe(401);
      expect(await newTransaction()).toMatchObject({ merchantId: null, keyId: null });
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const token = await new CompactSign(
        new TextEncoder().encode(JSON.stringify({ iat: Math.floor(Date.now() / 1000) })),
      )
        .setProtectedHeader({ alg: "RS256", kid: "1234567890123456789" })
        .sign(privateKey);
      const res = await fetch(`http://127.0.0.1:${port}/pts/v2/payments`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
          "v-c-merchant-id": "merchant12378",
        },
        body: JSON.stringify(PAYMENT),
      });
      expect(res.status).toBe(401);
      expect(await newTransaction()).toMatchObject({ merchantId: null, keyId: null, reason: "unknown key" });
    });

    it("the merchant's real key with a bad signature is still on that merchant's list", async () => {
      const res = await unsigned(merchantSecret.id, "merchant12378");
      expect(res.status).toBe(401);
      const tx = await newTransaction();
      expect(tx).toMatchObject({ merchantId: "merchant12378", keyId: merchantSecret.id, httpStatus: 401 });
      expect(tx.reason).toBe("signature does not match");
      expect(await onListOf("merchant12378", tx.id)).toBe(true);
      // ... and a meta key's owner sees the attempts with its key for a MID it is not above.
      await prisma.orgSettings.upsert({
        where: { orgId: "acme_acct" },
        create: { orgId: "acme_acct", metaKeysEnabled: true },
        update: { metaKeysEnabled: true },
      });
      const s = await createSharedSecretKey({ ctx: await ctxFor("acme_acct", { meta: { scope: "ALL" } }) });
      expect((await unsigned(s.key.id, "initech01")).status).toBe(401);
      const meta = await newTransaction();
      expect(meta).toMatchObject({ merchantId: null, keyId: s.key.id, metaKeyOwner: "acme_acct" });
      expect(await onListOf("initech01", meta.id)).toBe(false);
      expect(await onListOf("acme_acct", meta.id)).toBe(true);
    });

    it("every recorded field is capped: huge key and merchant IDs are refused 400 and stored short", async () => {
      const res = await unsigned("K".repeat(5000), "M".repeat(5000));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        status: "INVALID_REQUEST",
        reason: "INVALID_DATA",
        details: [{ field: "v-c-merchant-id", reason: "INVALID_DATA" }],
      });
      const tx = await newTransaction();
      expect(tx).toMatchObject({ merchantId: null, keyId: null, httpStatus: 400, status: "INVALID_REQUEST" });
      expect(tx.reason!.length).toBeLessThanOrEqual(500);
      expect((await unsigned("K".repeat(5000), "merchant12378")).status).toBe(400);
      expect(await newTransaction()).toMatchObject({ merchantId: null, keyId: null, httpStatus: 400 });
      // A host, an algorithm or an MLE key ID of any length ends up in the reason: capped too.
      expect((await unsigned(merchantSecret.id, "merchant12378", { host: "h".repeat(3000) })).status).toBe(401);
      expect((await newTransaction()).reason!.length).toBeLessThanOrEqual(500);
    });

    it("repeated unauthenticated failures from one address are answered 429 with Retry-After", async () => {
      // The client's address as the trusted proxy in front names it (its limit: GATEWAY_FAILURE_LIMIT per 60 s).
      const attacker = { "x-forwarded-for": "203.0.113.7" };
      for (let i = 0; i < GATEWAY_FAILURE_LIMIT; i++) {
        expect((await unsigned("made-up-key", "merchant12378", attacker)).status).toBe(401);
        await newTransaction();
      }
      const limited = await unsigned("made-up-key", "merchant12378", attacker);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      // Now even a good request from that address is answered 429 before any work...
      const good = await send(signedByMerchant(), attacker);
      expect(good.status).toBe(429);
      expect(good.headers.get("retry-after")).toBeTruthy();
      // ... nothing of the 429s is recorded, and other addresses are not affected.
      expect(await send(signedByMerchant(), { "x-forwarded-for": "198.51.100.9" }).then((r) => r.status)).toBe(201);
      expect(await newTransaction()).toMatchObject({ httpStatus: 201 });
    });
  });

  describe("replay (issue 12 §6)", () => {
    it("the official SDK's JWT sent again with the same jti is refused; a new one from the SDK is accepted", async () => {
      // Through the recording proxy: the SDK's request as it went over the wire, to send again.
      proxy.forget();
      expect((await sdkPay(jwtP12("merchant12378", "merchant12378"), PAYMENT, proxy.base)).status).toBe(201);
      await newTransaction();
      const captured = proxy.last!.request;
      const authorization = String(captured.headers.authorization);
      const payload = Buffer.from(authorization.split(".")[1]!, "base64url").toString("utf8");
      const claims = JSON.parse(payload) as Record<string, unknown>;
      expect(typeof claims.jti).toBe("string");
      const replay = await fetch(`http://127.0.0.1:${port}/pts/v2/payments`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: new Uint8Array(captured.body),
      });
      expect(replay.status).toBe(401);
      const tx = await newTransaction();
      expect(tx).toMatchObject({
        merchantId: "merchant12378",
        keyId: merchantCert.id,
        status: "AUTHENTICATION_FAILED",
      });
      expect(tx.reason).toMatch(/jti already used/);
      expect((await sdkPay(jwtP12("merchant12378", "merchant12378"))).status).toBe(201);
      await newTransaction();
    });

    it("a token without jti (older SDKs) keeps the iat window: accepted again within it, refused once too old", async () => {
      const pem = work.pkcs12(work.path("merchant12378.p12"), PASSWORD, "-nocerts", "-nodes");
      const key = createPrivateKey(pem.slice(pem.indexOf("-----BEGIN")));
      const body = JSON.stringify(PAYMENT);
      const token = async (iat: number) =>
        new CompactSign(
          new TextEncoder().encode(
            JSON.stringify({
              digest: createHash("sha256").update(body).digest("base64"),
              iat,
              "v-c-merchant-id": "merchant12378",
            }),
          ),
        )
          .setProtectedHeader({ alg: "RS256", kid: merchantCert.id })
          .sign(key);
      const post = (t: string) =>
        fetch(`http://127.0.0.1:${port}/pts/v2/payments`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${t}` },
          body,
        });
      const fresh = await token(Math.floor(Date.now() / 1000));
      for (let i = 0; i < 2; i++) {
        expect((await post(fresh)).status).toBe(201);
        await newTransaction();
      }
      expect((await post(await token(Math.floor(Date.now() / 1000) - 6 * 60))).status).toBe(401);
      expect((await newTransaction()).reason).toMatch(/iat is too old/);
    });
  });

  describe("bad input is a 400, never a 5xx (issue 12 §8)", () => {
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/pts/v2/payments`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(PAYMENT),
      });
    const jwtWith = async (header: Record<string, unknown>) => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      return new CompactSign(new TextEncoder().encode(JSON.stringify({ iat: Math.floor(Date.now() / 1000) })))
        .setProtectedHeader({ alg: "RS256", ...header })
        .sign(privateKey);
    };

    it("a NUL byte, a lone surrogate or a huge value in the JWT kid", async () => {
      for (const kid of ["abc\u0000", "\u0000", "\ud800x", "9".repeat(5000)]) {
        const res = await post({ authorization: `Bearer ${await jwtWith({ kid })}` });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({
          status: "INVALID_REQUEST",
          details: [{ field: "kid", reason: "INVALID_DATA" }],
        });
        expect(await newTransaction()).toMatchObject({ merchantId: null, keyId: null, httpStatus: 400 });
      }
    });

    it("a NUL byte in the older form's v-c-merchant-id header claim, and header names that are not tokens", async () => {
      const res = await post({ authorization: `Bearer ${await jwtWith({ kid: "x", "v-c-merchant-id": "m\u0000" })}` });
      expect(res.status).toBe(400);
      await newTransaction();
      const signed = signedByMerchant();
      const weird = signed.headers.signature!.replace('headers="host', 'headers="x(y) a,b host');
      const r = await send(signed, { signature: weird });
      expect(r.status).toBe(401);
      await newTransaction();
    });
  });

  it("an invalid body is answered 400 with the fields, and recorded", async () => {
    const body = structuredClone(PAYMENT) as Record<string, unknown>;
    body.orderInformation = { amountDetails: { currency: "USD" } };
    (body.paymentInformation as { card: { number: string } }).card.number = "4111111111111112";
    const r = await sdkPay(httpSig("merchant12378", merchantSecret.id, merchantSecret.secret), body);
    expect(r.status).toBe(400);
    const tx = await newTransaction();
    expect(tx).toMatchObject({
      merchantId: "merchant12378",
      keyId: merchantSecret.id,
      httpStatus: 400,
      status: "INVALID_REQUEST",
    });
    expect(tx.reason).toMatch(/orderInformation.amountDetails.totalAmount/);
    expect(tx.reason).toMatch(/paymentInformation.card.number/);
  });

  it("a body over 1 MiB is answered 413 without being read whole, and recorded", async () => {
    const big = JSON.stringify({ ...PAYMENT, padding: "x".repeat(1024 * 1024) });
    const r = await send(signedByMerchant({ body: big }));
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({
      status: "INVALID_REQUEST",
      message: expect.stringMatching(/larger than 1 MiB/),
    });
    expect(await newTransaction()).toMatchObject({
      httpStatus: 413,
      status: "INVALID_REQUEST",
      reason: "body too large",
    });

    // Streamed, without a Content-Length (chunked): cut off once past the limit.
    const bytes = new TextEncoder().encode(big);
    const chunks = function* () {
      for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.slice(at, at + 64 * 1024);
    };
    const streamed = await postStreamed(
      `http://127.0.0.1:${port}`,
      "/pts/v2/payments",
      { "content-type": "application/json" },
      chunks(),
    );
    expect(streamed.status).toBe(413);
    expect(await newTransaction()).toMatchObject({ httpStatus: 413, reason: "body too large" });
  });

  it("the Live Console's signer and the gateway agree (HTTP Signature and JWT)", async () => {
    const common = {
      host: `127.0.0.1:${port}`,
      path: "/pts/v2/payments",
      body: JSON.stringify(PAYMENT),
      merchantId: "merchant12378",
    };
    const a = await send(
      signHttpSignature({ ...common, keyId: merchantSecret.id, sharedSecret: merchantSecret.secret }),
    );
    expect(a.status).toBe(201);
    const body = (await a.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: "AUTHORIZED",
      orderInformation: { amountDetails: { totalAmount: "102.21", currency: "USD" } },
    });
    await newTransaction();
    const b = await send(
      await signJwt({ ...common, p12: readFileSync(work.path("merchant12378.p12")), password: PASSWORD }),
    );
    expect(b.status).toBe(201);
    await newTransaction();
  });

  // Last: it writes three rows at once, which the one-row reader above cannot take.
  describe("replay, concurrently", () => {
    it("the same jti twice at once: exactly one is accepted", async () => {
      const signed = await jwtByMerchant();
      const replays = () => prisma.gatewayTransaction.count({ where: { reason: { contains: "jti already used" } } });
      const before = await replays();
      const statuses = await Promise.all(
        [send(signed), send(signed), send(signed)].map((p) => p.then((r) => r.status)),
      );
      expect(statuses.sort()).toEqual([201, 401, 401]);
      expect((await replays()) - before).toBe(2);
    });
  });
});

/** A payment signed as a JWT (the Live Console's signer, with a fresh jti) with merchant12378's .p12. */
function jwtByMerchant() {
  return signJwt({
    host: `127.0.0.1:${port}`,
    path: "/pts/v2/payments",
    body: JSON.stringify(PAYMENT),
    merchantId: "merchant12378",
    p12: readFileSync(work.path("merchant12378.p12")),
    password: PASSWORD,
  });
}

/** A payment signed by hand (the Live Console's signer) with merchant12378's shared secret. */
function signedByMerchant(over: Partial<Parameters<typeof signHttpSignature>[0]> = {}) {
  return signHttpSignature({
    host: `127.0.0.1:${port}`,
    path: "/pts/v2/payments",
    body: JSON.stringify(PAYMENT),
    merchantId: "merchant12378",
    keyId: merchantSecret.id,
    sharedSecret: merchantSecret.secret,
    ...over,
  });
}

async function send(
  req: { path: string; body: string; headers: Record<string, string> },
  extra: Record<string, string> = {},
) {
  return fetch(`http://127.0.0.1:${port}${req.path}`, {
    method: "POST",
    headers: { ...req.headers, ...extra },
    body: req.body,
  });
}

/** fetch always sends the real Host; node:http lets a test name another one. Resolves the status. */
function sendWithHost(req: { path: string; body: string; headers: Record<string, string> }, host: string) {
  return new Promise<number>((resolve, reject) => {
    const r = httpRequest(
      { host: "127.0.0.1", port, path: req.path, method: "POST", headers: { ...req.headers, host } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

/** The SDK's request as sent, with the raw response body (before the SDK decrypts it): through the recording proxy. */
async function sdkRaw(
  config: Record<string, unknown>,
  body: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  proxy.forget();
  await sdkPay(config, body, proxy.base);
  const captured = proxy.last;
  if (!captured) throw new Error("no response captured");
  return {
    status: captured.response.status,
    body: JSON.parse(captured.response.body.toString("utf8")) as Record<string, unknown>,
  };
}

/** Does the Transactions list of `orgId` (its own and, for a portfolio or account, its MIDs') show `requestId`? */
async function onListOf(orgId: string, requestId: string): Promise<boolean> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
  const { rows } = await listTransactions({ scope: org, environment: "TEST", requestId });
  return rows.some((r) => r.id === requestId);
}
