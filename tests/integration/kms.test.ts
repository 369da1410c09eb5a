/**
 * The Key Management API (issue 15) through the served app (npm start's path: lib/http/server.ts
 * dispatches /kms/v2 to lib/kms/http.ts), driven by the official Cybersource SDK 0.0.59
 * (cybersource-rest-client-kms) unchanged; a shared secret it creates pays through the
 * payments SDK 0.0.83. Certificates are checked with openssl.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "@/lib/context";
import { prisma } from "@/lib/db";
import { createKey } from "@/lib/keys/create";
import type { SharedSecretResult } from "@/lib/keys/creators";
import { seed } from "../helpers/fixtures";
import { Gpg } from "../helpers/gpg";
import { Workdir } from "../helpers/openssl";
import { type ServedApp, startServedApp } from "../helpers/served-app";

const require = createRequire(import.meta.url);
const kms = require("cybersource-rest-client-kms");
const payments = require("cybersource-rest-client");

let app: ServedApp;
let work: Workdir;

interface Creds {
  keyId: string;
  secret: string;
  merchantID: string;
  portfolioID?: string;
}

type Callback = (
  error: { status?: number; response?: { text?: string } } | null,
  data: unknown,
  response: { status?: number; text?: string },
) => void;
interface SdkResult {
  status: number;
  data: Record<string, unknown> | null;
  /** The answer as sent (the error body, when there is one). */
  body: Record<string, unknown> | null;
}

function config(c: Creds) {
  return {
    runEnvironment: "apitest.cybersource.com",
    intermediateHost: app.base,
    logConfiguration: { enableLog: false },
    authenticationType: "http_signature",
    merchantID: c.merchantID,
    merchantKeyId: c.keyId,
    merchantsecretKey: c.secret,
    ...(c.portfolioID ? { useMetaKey: true, portfolioID: c.portfolioID } : {}),
  };
}

/** Calls `method` of the SDK's `Api` class with `args`, resolving with the status and the answer. */
function call(c: Creds, Api: string, method: string, ...args: unknown[]): Promise<SdkResult> {
  const api = new kms[Api](config(c), new kms.ApiClient());
  return new Promise((resolve) => {
    const cb: Callback = (error, data, response) => {
      const text = response?.text ?? error?.response?.text;
      let body: Record<string, unknown> | null = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      resolve({ status: response?.status ?? error?.status ?? 0, data: data as Record<string, unknown> | null, body });
    };
    api[method](...args, cb);
  });
}

async function userId(email: string) {
  return (await prisma.user.findUniqueOrThrow({ where: { email } })).id;
}

async function ctxFor(orgId: string, email: string, extra: Partial<ServiceContext> = {}): Promise<ServiceContext> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
  return {
    actor: { actorId: await userId(email), actorEmail: email },
    org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId },
    environment: "TEST",
    ...extra,
  };
}

async function sharedSecret(ctx: ServiceContext, kmsApi: boolean): Promise<{ keyId: string; secret: string }> {
  const r = (await createKey("REST_SHARED_SECRET", { ctx, kmsApi })) as SharedSecretResult;
  return { keyId: r.key.id, secret: r.secret };
}

let portfolio: Creds; // a portfolio meta key (all MIDs) with Key Management API
let merchant: Creds; // merchant12378's own key with Key Management API
let plain: Creds; // merchant12378's key without it
let keyManager: Creds; // created by a Key Manager (no PGP Security Settings)
let initech: Creds; // another portfolio's MID

describe("Key Management API (KMS v2) with the official SDK 0.0.59", () => {
  beforeAll(async () => {
    await seed();
    work = new Workdir();
    const meta = await ctxFor("portfolioabc", "portfolio.admin@keycenter.test", { meta: { scope: "ALL" } });
    portfolio = { ...(await sharedSecret(meta, true)), merchantID: "merchant12378", portfolioID: "portfolioabc" };
    const m = await ctxFor("merchant12378", "merchant.admin@keycenter.test");
    merchant = { ...(await sharedSecret(m, true)), merchantID: "merchant12378" };
    plain = { ...(await sharedSecret(m, false)), merchantID: "merchant12378" };
    await prisma.user.create({
      data: {
        id: "kms-key-manager",
        name: "Kim Keys",
        email: "kms.keymanager@keycenter.test",
        orgId: "merchant12379",
        roleId: "role_key_manager",
      },
    });
    keyManager = {
      ...(await sharedSecret(await ctxFor("merchant12379", "kms.keymanager@keycenter.test"), true)),
      merchantID: "merchant12379",
    };
    initech = {
      ...(await sharedSecret(await ctxFor("initech01", "initech.admin@keycenter.test"), true)),
      merchantID: "initech01",
    };
    app = await startServedApp();
  }, 900_000);

  afterAll(async () => {
    await app?.stop();
    work?.remove();
  });

  it("creates shared secrets for two MIDs in one call with a portfolio meta key; one of them pays through the payments SDK 0.0.83", async () => {
    const r = await call(portfolio, "SymmetricKeyManagementApi", "createV2SharedSecretKeys", {
      clientReferenceInformation: { code: "kms-test" },
      keyInformation: [
        { organizationId: "merchant12379", referenceNumber: "ref-1" },
        { organizationId: "merchant45601", referenceNumber: "ref-2" },
      ],
    });
    expect(r.status).toBe(201);
    const data = r.data as { status: string; keyInformation: Record<string, unknown>[] };
    // The SDK's model (KmsV2KeysSymPost201Response) read it.
    expect(data).toBeInstanceOf(kms.KmsV2KeysSymPost201Response);
    expect(data.status).toBe("ACCEPTED");
    expect(data.keyInformation).toHaveLength(2);
    for (const [i, e] of data.keyInformation.entries()) {
      expect(e).toBeInstanceOf(kms.KmsV2KeysSymPost201ResponseKeyInformation);
      expect(e).toMatchObject({
        organizationId: ["merchant12379", "merchant45601"][i],
        referenceNumber: `ref-${i + 1}`,
        status: "ACTIVE",
      });
      expect(typeof e.keyId).toBe("string");
      expect(Buffer.from(e.key as string, "base64")).toHaveLength(32);
      expect(Date.parse(e.expirationDate as string)).toBeGreaterThan(Date.now());
    }
    const first = data.keyInformation[0]!;
    const row = await prisma.key.findUniqueOrThrow({ where: { id: first.keyId as string } });
    expect(row).toMatchObject({
      orgId: "merchant12379",
      type: "REST_SHARED_SECRET",
      environment: "TEST",
      kmsApi: false,
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: row.id, action: "key.create" } });
    expect(audit.actorEmail).toBe(`via Key Management API, key ${portfolio.keyId}`);

    const pay = await new Promise<{ status: number; data: Record<string, unknown> | null }>((resolve) => {
      const api = new payments.PaymentsApi(
        config({ keyId: first.keyId as string, secret: first.key as string, merchantID: "merchant12379" }),
        new payments.ApiClient(),
      );
      api.createPayment(
        {
          clientReferenceInformation: { code: "kms-pay" },
          paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
          orderInformation: { amountDetails: { totalAmount: "10.00", currency: "USD" } },
        },
        (error: { status?: number } | null, d: Record<string, unknown> | null, response: { status?: number }) =>
          resolve({ status: response?.status ?? error?.status ?? 0, data: d }),
      );
    });
    expect(pay.status).toBe(201);
    expect(pay.data).toMatchObject({ status: "AUTHORIZED" });
  });

  it("refuses, per entry, a MID of another portfolio (and an unknown one) while creating the others", async () => {
    const r = await call(portfolio, "SymmetricKeyManagementApi", "createV2SharedSecretKeys", {
      keyInformation: [
        { organizationId: "initech01" },
        { organizationId: "nosuchmid" },
        { organizationId: "merchant12380" },
      ],
    });
    expect(r.status).toBe(201);
    const entries = (r.data as { keyInformation: Record<string, unknown>[] }).keyInformation;
    expect(entries.map((e) => e.status)).toEqual(["FAILED", "FAILED", "ACTIVE"]);
    expect(entries[0]).toMatchObject({
      organizationId: "initech01",
      errorInformation: { reason: "INVALID_DATA", details: [{ field: "organizationId", reason: "INVALID_DATA" }] },
    });
    expect(entries[0]!.message).toBe(entries[1]!.message); // unknown and foreign alike
    expect(
      await prisma.key.count({
        where: { orgId: "initech01", createdById: await userId("portfolio.admin@keycenter.test") },
      }),
    ).toBe(0);
  });

  it("refuses a key created without Key Management API (403), and a bad signature (401)", async () => {
    const r = await call(plain, "KeyManagementApi", "searchKeys", { organizationIds: ["merchant12378"] });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      status: "FORBIDDEN",
      reason: "NOT_AUTHORIZED",
      errorInformation: { reason: "NOT_AUTHORIZED" },
    });
    const bad = await call(
      { ...merchant, secret: Buffer.alloc(32, 7).toString("base64") },
      "KeyManagementApi",
      "searchKeys",
      {},
    );
    expect(bad.status).toBe(401);
  });

  it("searches keys with each filter, with the API's rules", async () => {
    const all = await call(merchant, "KeyManagementApi", "searchKeys", {
      organizationIds: ["merchant12378"],
      limit: 100,
    });
    expect(all.status).toBe(200);
    expect(all.data).toBeInstanceOf(kms.InlineResponse2001);
    const body = all.data as { totalCount: number; keys: Record<string, unknown>[]; offset: number; limit: number };
    const expected = await prisma.key.count({
      where: { orgId: "merchant12378", environment: "TEST", deletedAt: null },
    });
    expect(body.totalCount).toBe(expected);
    expect(body.keys).toHaveLength(Math.min(expected, 100));
    expect(all.body).toMatchObject({ offset: 0, limit: 100, count: body.keys.length });
    const mine = body.keys.find((k) => k.keyId === merchant.keyId)!;
    expect(mine).toBeInstanceOf(kms.InlineResponse2001Keys);
    expect(mine).toMatchObject({
      organizationId: "merchant12378",
      keyType: "password",
      status: "active",
      addedBy: "merchant.admin@keycenter.test",
    });
    expect(mine.expirationDate).toBeInstanceOf(Date);

    // offset / limit / sort
    const page = await call(merchant, "KeyManagementApi", "searchKeys", {
      organizationIds: ["merchant12378"],
      offset: 1,
      limit: 1,
      sort: "dateAdded:asc",
    });
    expect(page.status).toBe(200);
    const pageKeys = (page.data as { keys: { keyId: string }[] }).keys;
    expect(pageKeys).toHaveLength(1);
    const ordered = await prisma.key.findMany({
      where: { orgId: "merchant12378", environment: "TEST", deletedAt: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(pageKeys[0]!.keyId).toBe(ordered[1]!.id);

    // keyIds
    const byId = await call(merchant, "KeyManagementApi", "searchKeys", { keyIds: [plain.keyId] });
    expect((byId.data as { keys: { keyId: string }[] }).keys.map((k) => k.keyId)).toEqual([plain.keyId]);

    // keyTypes (with another filter), and alone: refused
    const types = await call(merchant, "KeyManagementApi", "searchKeys", {
      organizationIds: ["merchant12378"],
      keyTypes: ["pgp"],
    });
    expect(types.status).toBe(200);
    const pgpCount = await prisma.key.count({
      where: { orgId: "merchant12378", environment: "TEST", deletedAt: null, type: "PGP" },
    });
    expect((types.data as { totalCount: number }).totalCount).toBe(pgpCount);
    const typeAlone = await call(merchant, "KeyManagementApi", "searchKeys", { keyTypes: ["certificate"] });
    expect(typeAlone.status).toBe(400);
    expect(typeAlone.body).toMatchObject({
      status: "INVALID_REQUEST",
      reason: "INVALID_DATA",
      details: [{ field: "keyTypes" }],
    });

    // expiration dates (with another filter), and alone: refused
    const soon = new Date(Date.now() + 24 * 3600_000);
    const far = new Date(Date.now() + 4 * 365 * 24 * 3600_000);
    const exp = await call(merchant, "KeyManagementApi", "searchKeys", {
      organizationIds: ["merchant12378"],
      // ISO strings: the SDK sends them as given (a Date made in Vitest's realm fails its instanceof Date and is dropped).
      expirationStartDate: soon.toISOString(),
      expirationEndDate: far.toISOString(),
      limit: 100,
    });
    expect(exp.status).toBe(200);
    const inRange = await prisma.key.count({
      where: { orgId: "merchant12378", environment: "TEST", deletedAt: null, expiresAt: { gte: soon, lte: far } },
    });
    expect((exp.data as { totalCount: number }).totalCount).toBe(inRange);
    const expAlone = await call(merchant, "KeyManagementApi", "searchKeys", { expirationStartDate: soon.toISOString() });
    expect(expAlone.status).toBe(400);

    // more than one organization, another portfolio's org, a bad limit: 400
    expect((await call(merchant, "KeyManagementApi", "searchKeys", { organizationIds: ["a", "b"] })).status).toBe(400);
    expect((await call(merchant, "KeyManagementApi", "searchKeys", { organizationIds: ["initech01"] })).status).toBe(
      400,
    );
    expect((await call(merchant, "KeyManagementApi", "searchKeys", { limit: 0 })).status).toBe(400);
    // the portfolio's meta key searches a MID below it
    const below = await call(portfolio, "KeyManagementApi", "searchKeys", {
      organizationIds: ["merchant12379"],
      keyTypes: ["password"],
    });
    expect(below.status).toBe(200);
    expect((below.data as { totalCount: number }).totalCount).toBeGreaterThanOrEqual(1);
  });

  it("creates a P12 key from a CSR made by openssl, whose chain openssl verifies; a bad CSR is that entry's FAILED", async () => {
    const pem = work.csr({ keyout: "m.key", out: "m.csr", cn: "merchant12378" });
    const body = pem.replace(/-----[A-Z ]+-----|\s/g, ""); // the API's form: no BEGIN/END lines, no line breaks
    const r = await call(merchant, "AsymmetricKeyManagementApi", "createP12Keys", {
      keyInformation: [
        { organizationId: "merchant12378", referenceNumber: "csr-1", cert: body },
        { organizationId: "merchant12378", referenceNumber: "csr-2", cert: "bm90IGEgQ1NS" },
      ],
    });
    expect(r.status).toBe(201);
    const data = r.data as {
      keyInformation: Record<string, unknown>[];
      certificateInformation: Record<string, unknown>[];
    };
    expect(data).toBeInstanceOf(kms.KmsV2KeysAsymPost201Response);
    const [ok, bad] = data.keyInformation;
    expect(ok).toMatchObject({ organizationId: "merchant12378", referenceNumber: "csr-1", status: "ACTIVE" });
    expect(bad).toMatchObject({
      referenceNumber: "csr-2",
      status: "FAILED",
      errorInformation: { details: [{ field: "cert" }] },
    });
    expect(data.certificateInformation).toHaveLength(1);
    const chain = data.certificateInformation[0]!.key as string;
    const certs = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    expect(certs).toHaveLength(3);
    work.write("leaf.pem", certs[0]! + "\n");
    work.write("issuing.pem", certs[1]! + "\n");
    work.write("root.pem", certs[2]! + "\n");
    const verified = work.opensslOk([
      "verify",
      "-CAfile",
      work.path("root.pem"),
      "-untrusted",
      work.path("issuing.pem"),
      work.path("leaf.pem"),
    ]);
    expect(verified).toMatch(/leaf\.pem: OK/);
    const subject = work.opensslOk(["x509", "-in", work.path("leaf.pem"), "-noout", "-subject", "-nameopt", "RFC2253"]);
    expect(subject).toContain(`serialNumber=${ok!.keyId}`);
    expect(subject).toContain("CN=merchant12378");
    // The certificate's public key is the CSR's.
    const fromCert = work.opensslOk(["x509", "-in", work.path("leaf.pem"), "-noout", "-pubkey"]);
    const fromKey = work.opensslOk(["pkey", "-in", work.path("m.key"), "-pubout"]);
    expect(fromCert.trim()).toBe(fromKey.trim());

    const details = await call(merchant, "AsymmetricKeyManagementApi", "getP12KeyDetails", ok!.keyId);
    expect(details.status).toBe(200);
    expect(details.data).toBeInstanceOf(kms.KmsV2KeysAsymGet200Response);
    expect(details.data).toMatchObject({
      keyInformation: { organizationId: "merchant12378", keyId: ok!.keyId, status: "ACTIVE" },
    });

    // REST – Certificate cannot be deactivated (the guide): refused
    const deact = await call(merchant, "AsymmetricKeyManagementApi", "updateAsymKey", ok!.keyId, {
      status: "inactive",
      organizationId: "merchant12378",
    });
    expect(deact.status).toBe(400);
    expect(deact.body).toMatchObject({ status: "INVALID_REQUEST", reason: "INVALID_DATA" });

    const del = await call(merchant, "AsymmetricKeyManagementApi", "deleteBulkP12Keys", {
      keyInformation: [{ organizationId: "merchant12378", keyId: ok!.keyId }],
    });
    expect(del.status).toBe(200);
    expect(del.data).toMatchObject({ keyInformation: [{ keyId: ok!.keyId, status: "INACTIVE" }] });
    expect((await prisma.key.findUniqueOrThrow({ where: { id: ok!.keyId as string } })).deletedAt).not.toBeNull();
    expect((await call(merchant, "AsymmetricKeyManagementApi", "getP12KeyDetails", ok!.keyId)).status).toBe(404);
  });

  it("gets a shared secret's details, deletes it, and deactivates/activates a Secure Acceptance key (keys-password)", async () => {
    const created = await call(merchant, "SymmetricKeyManagementApi", "createV2SharedSecretKeys", {
      keyInformation: [{ organizationId: "merchant12378" }],
    });
    const keyId = (created.data as { keyInformation: { keyId: string }[] }).keyInformation[0]!.keyId;
    const got = await call(merchant, "SymmetricKeyManagementApi", "getKeyDetails", keyId);
    expect(got.status).toBe(200);
    expect(got.data).toBeInstanceOf(kms.KmsV2KeysSymGet200Response);
    expect(got.data).toMatchObject({ keyInformation: { organizationId: "merchant12378", keyId, status: "ACTIVE" } });
    expect(JSON.stringify(got.body)).not.toContain('"key"');
    const del = await call(merchant, "SymmetricKeyManagementApi", "deleteBulkSymmetricKeys", {
      keyInformation: [
        { organizationId: "merchant12378", keyId },
        { organizationId: "merchant12378", keyId: "no-such-key" },
      ],
    });
    expect(del.status).toBe(200);
    expect((del.data as { keyInformation: { status: string }[] }).keyInformation.map((e) => e.status)).toEqual([
      "INACTIVE",
      "FAILED",
    ]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: keyId, action: "key.delete" } });
    expect(audit.actorEmail).toBe(`via Key Management API, key ${merchant.keyId}`);

    const profile = await prisma.securityProfile.findFirstOrThrow({ where: { orgId: "merchant12378" } });
    const sa = await createKey("SECURE_ACCEPTANCE", {
      ctx: await ctxFor("merchant12378", "merchant.admin@keycenter.test"),
      name: "kms sa",
      signatureVersion: "1",
      signatureMethod: "HMAC-SHA256",
      securityProfileId: profile.id,
    });
    const saId = (sa as { key: { id: string } }).key.id;
    const off = await call(merchant, "KeyManagementPasswordApi", "updatePassword", saId, {
      status: "inactive",
      organizationId: "merchant12378",
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ keyInformation: { keyId: saId, status: "INACTIVE" } });
    const on = await call(merchant, "KeyManagementPasswordApi", "updatePassword", saId, {
      status: "active",
      organizationId: "merchant12378",
    });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ keyInformation: { keyId: saId, status: "ACTIVE" } });
    const actions = await prisma.auditEvent.findMany({
      where: { targetId: saId },
      orderBy: { seq: "asc" },
      select: { action: true, actorEmail: true },
    });
    expect(actions.slice(-2)).toEqual([
      { action: "key.deactivate", actorEmail: `via Key Management API, key ${merchant.keyId}` },
      { action: "key.activate", actorEmail: `via Key Management API, key ${merchant.keyId}` },
    ]);
    // a bad status: 400 in Cybersource's form
    const bad = await call(merchant, "KeyManagementPasswordApi", "updatePassword", saId, {
      status: "paused",
      organizationId: "merchant12378",
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      status: "INVALID_REQUEST",
      details: [{ field: "status", reason: "INVALID_DATA" }],
    });
  });

  it("refuses a type the creator's role lacks (a Key Manager has no PGP Security Settings), and another portfolio's key", async () => {
    const gpg = new Gpg();
    try {
      const fpr = gpg.genKey("KMS <kms@keycenter.test>", "rsa3072", "sign", "2y");
      gpg.addKey(fpr, "rsa3072", "encr", "2y");
      const pgp = await createKey("PGP", {
        ctx: await ctxFor("merchant12379", "kms.keymanager@keycenter.test"),
        armoredKey: gpg.exportPublic(fpr),
      });
      const r = await call(keyManager, "KeyManagementPgpApi", "updatePGP", pgp.key.id, {
        status: "inactive",
        organizationId: "merchant12379",
      });
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ status: "FORBIDDEN" });
      expect((await prisma.key.findUniqueOrThrow({ where: { id: pgp.key.id } })).deactivatedAt).toBeNull();
    } finally {
      gpg.cleanup();
    }
    // The Key Manager's key may create shared secrets for its own MID (Create keys), not PGP changes.
    const own = await call(keyManager, "SymmetricKeyManagementApi", "createV2SharedSecretKeys", {
      keyInformation: [{ organizationId: "merchant12379" }],
    });
    expect((own.data as { keyInformation: { status: string }[] }).keyInformation[0]!.status).toBe("ACTIVE");
    // merchant12378's key knows nothing of initech's keys
    expect((await call(merchant, "SymmetricKeyManagementApi", "getKeyDetails", initech.keyId)).status).toBe(404);
    const del = await call(merchant, "SymmetricKeyManagementApi", "deleteBulkSymmetricKeys", {
      keyInformation: [{ organizationId: "initech01", keyId: initech.keyId }],
    });
    expect((del.data as { keyInformation: { status: string }[] }).keyInformation[0]!.status).toBe("FAILED");
    expect((await prisma.key.findUniqueOrThrow({ where: { id: initech.keyId } })).deletedAt).toBeNull();
  });
});
