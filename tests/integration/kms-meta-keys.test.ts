/**
 * KeyCenter's own meta-key endpoints (issue 15: `/keycenter/v1/meta-keys`) through the served app
 * (npm start's path: lib/http/server.ts dispatches /keycenter/v1 to lib/kms/http.ts), signed as
 * the official SDK signs (tests/helpers/kms.ts). A meta key created through the API pays through
 * the payments SDK 0.0.83; 100,000 MIDs are added and removed in one call each (timed).
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "@/lib/context";
import { prisma } from "@/lib/db";
import { createKey } from "@/lib/keys/create";
import type { SharedSecretResult } from "@/lib/keys/creators";
import { MAX_BODY_BYTES } from "@/lib/kms/http";
import { seed, serviceContext } from "../helpers/fixtures";
import { type KmsCreds, kmsRequest, type RawAnswer } from "../helpers/kms";
import { type ServedApp, startServedApp } from "../helpers/served-app";

const require = createRequire(import.meta.url);
const payments = require("cybersource-rest-client");

const PORTFOLIO = "portfolioabc";
const BULK = 100_000;
/** 30 characters each, the longest an organization ID may be. */
const bulkMid = (i: number) => `kmsmeta_${String(i).padStart(22, "0")}`;

let app: ServedApp;
let admin: KmsCreds; // the portfolio admin's meta key (all MIDs), with Key Management API
let withoutApi: KmsCreds; // the same, without Key Management API
let noMetaRole: KmsCreds; // created by a portfolio user whose role lacks Manage meta keys

/** A service context for `orgId` whose actor is the person with `email` (the key's creator). */
async function ctxFor(orgId: string, email: string, extra: { meta?: ServiceContext["meta"] } = {}) {
  const user = await prisma.user.findUniqueOrThrow({ where: { email } });
  return { ...(await serviceContext(orgId, extra)), actor: { actorId: user.id, actorEmail: email } };
}

/** A portfolio meta key (all MIDs) of `email`, signed for merchant12378 as the SDK signs a meta key. */
async function portfolioKey(email: string, kmsApi: boolean): Promise<KmsCreds> {
  const ctx = await ctxFor(PORTFOLIO, email, { meta: { scope: "ALL" } });
  const r = (await createKey("REST_SHARED_SECRET", { ctx, kmsApi })) as SharedSecretResult;
  return { keyId: r.key.id, secret: r.secret, merchantId: "merchant12378", signedMerchantId: PORTFOLIO };
}

/**
 * One request on a connection of its own (`connection: close`): an idle kept-alive connection may
 * be closed by the server just as a 3 MiB request is written to it.
 */
const send = (creds: KmsCreds | null, method: string, path: string, body?: unknown) =>
  kmsRequest(app.port, creds, method, path, body, { connection: "close" });

const assignedMids = async (keyId: string) =>
  (await prisma.metaKeyAssignment.findMany({ where: { keyId }, orderBy: { mid: "asc" } })).map((r) => r.mid);

/** A refusal in the API's error form. */
function expectRefusal(r: RawAnswer, status: number) {
  expect({ status: r.status, text: r.text.slice(0, 300) }).toEqual({ status, text: expect.any(String) });
  expect(r.json).toMatchObject({ errorInformation: { reason: expect.any(String), message: expect.any(String) } });
}

/** Pays 10.00 USD for `mid` with a meta key of the portfolio through the payments SDK 0.0.83. */
function pay(
  keyId: string,
  secret: string,
  mid: string,
): Promise<{ status: number; data: Record<string, unknown> | null }> {
  const api = new payments.PaymentsApi(
    {
      runEnvironment: "apitest.cybersource.com",
      intermediateHost: app.base,
      logConfiguration: { enableLog: false },
      authenticationType: "http_signature",
      merchantID: mid,
      merchantKeyId: keyId,
      merchantsecretKey: secret,
      useMetaKey: true,
      portfolioID: PORTFOLIO,
    },
    new payments.ApiClient(),
  );
  return new Promise((resolve) => {
    api.createPayment(
      {
        clientReferenceInformation: { code: "kms-meta-pay" },
        paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
        orderInformation: { amountDetails: { totalAmount: "10.00", currency: "USD" } },
      },
      (error: { status?: number } | null, d: Record<string, unknown> | null, response: { status?: number }) =>
        resolve({ status: response?.status ?? error?.status ?? 0, data: d }),
    );
  });
}

/** Created through the API: a custom meta key for merchant12378 and merchant12379 (the first test's). */
let twoMidKey: { keyId: string; secret: string };

describe("Key Management API: KeyCenter's meta-key endpoints (/keycenter/v1/meta-keys)", () => {
  beforeAll(async () => {
    await seed();
    admin = await portfolioKey("portfolio.admin@keycenter.test", true);
    withoutApi = await portfolioKey("portfolio.admin@keycenter.test", false);
    await prisma.role.create({
      data: {
        id: "role_kms_no_meta",
        name: "Keys without meta",
        orgId: PORTFOLIO,
        permissions: ["keys.view", "keys.create", "keys.delete", "keys.deactivate"],
      },
    });
    await prisma.user.create({
      data: {
        id: "kms-no-meta",
        name: "Nomi Meta",
        email: "kms.nometa@keycenter.test",
        orgId: PORTFOLIO,
        roleId: "role_kms_no_meta",
      },
    });
    noMetaRole = await portfolioKey("kms.nometa@keycenter.test", true);
    app = await startServedApp();
  }, 900_000);

  afterAll(async () => {
    await app?.stop();
  });

  it("creates a custom meta key for two MIDs of the portfolio; its assignments are those two; it pays for one of them through the payments SDK 0.0.83", async () => {
    const r = await send(admin, "POST", "/keycenter/v1/meta-keys", {
      scope: "CUSTOM",
      merchantIds: ["merchant12379", "merchant12378"],
      name: "API meta key",
    });
    expect({ status: r.status, text: r.text.slice(0, 300) }).toEqual({ status: 201, text: expect.any(String) });
    const info = (r.json as { keyInformation: Record<string, unknown> }).keyInformation;
    expect(r.json).toMatchObject({ status: "ACCEPTED" });
    expect(info).toMatchObject({
      organizationId: PORTFOLIO,
      keyType: "REST_SHARED_SECRET",
      scope: "CUSTOM",
      merchantCount: 2,
      status: "ACTIVE",
    });
    expect(Buffer.from(info.key as string, "base64")).toHaveLength(32);
    twoMidKey = { keyId: info.keyId as string, secret: info.key as string };
    const row = await prisma.key.findUniqueOrThrow({ where: { id: twoMidKey.keyId } });
    expect(row).toMatchObject({ orgId: PORTFOLIO, metaScope: "CUSTOM", name: "API meta key", kmsApi: false });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: row.id, action: "key.create" } });
    expect(audit.actorEmail).toBe(`via Key Management API, key ${admin.keyId}`);

    const list = await send(admin, "GET", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants`);
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({
      keyId: twoMidKey.keyId,
      organizationId: PORTFOLIO,
      scope: "CUSTOM",
      totalCount: 2,
      offset: 0,
      limit: 100,
      count: 2,
      merchants: [{ organizationId: "merchant12378" }, { organizationId: "merchant12379" }],
    });
    const page = await send(admin, "GET", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants?offset=1&limit=1`);
    expect(page.json).toMatchObject({ totalCount: 2, offset: 1, limit: 1, count: 1 });
    expect((page.json as { merchants: unknown[] }).merchants).toEqual([{ organizationId: "merchant12379" }]);

    const paid = await pay(twoMidKey.keyId, twoMidKey.secret, "merchant12379");
    expect(paid.status).toBe(201);
    expect(paid.data).toMatchObject({ status: "AUTHORIZED" });
    // Not one of its MIDs: the gateway refuses it.
    expect((await pay(twoMidKey.keyId, twoMidKey.secret, "merchant45601")).status).toBe(401);
  });

  it("creates a meta key for all current and future MIDs (no assignment rows); its listing says so", async () => {
    const r = await send(admin, "POST", "/keycenter/v1/meta-keys", { scope: "ALL", keyManagementApi: true });
    expect(r.status).toBe(201);
    const info = (r.json as { keyInformation: Record<string, unknown> }).keyInformation;
    expect(info).toMatchObject({ scope: "ALL", organizationId: PORTFOLIO });
    expect(info.merchantCount).toBeUndefined();
    const keyId = info.keyId as string;
    expect(await prisma.key.findUniqueOrThrow({ where: { id: keyId } })).toMatchObject({
      metaScope: "ALL",
      kmsApi: true,
    });
    const list = await send(admin, "GET", `/keycenter/v1/meta-keys/${keyId}/merchants`);
    expect(list.json).toMatchObject({ scope: "ALL", totalCount: 0, count: 0, merchants: [] });
    // An ALL key has no list to change.
    expectRefusal(
      await send(admin, "POST", `/keycenter/v1/meta-keys/${keyId}/merchants`, { merchantIds: ["merchant12378"] }),
      400,
    );
    expect(await prisma.key.findUniqueOrThrow({ where: { id: keyId } })).toMatchObject({ metaScope: "ALL" });
    expect((await pay(keyId, info.key as string, "merchant45601")).status).toBe(201);
  });

  it(`adds ${BULK.toLocaleString("en-US")} MIDs in one call, lists them, and removes them in one call`, async () => {
    await prisma.$executeRawUnsafe(`
      INSERT INTO organizations (id, name, type, status, "parentId", "portfolioId", "accountId")
      SELECT 'kmsmeta_' || lpad(i::text, 22, '0'), 'Bulk MID ' || i, 'MERCHANT', 'ACTIVE', '${PORTFOLIO}', '${PORTFOLIO}', NULL
      FROM generate_series(1, ${BULK}) i`);
    const mids = Array.from({ length: BULK }, (_, i) => bulkMid(i + 1));
    expect(mids.every((m) => m.length === 30)).toBe(true);
    const body = { merchantIds: mids };
    const bytes = Buffer.byteLength(JSON.stringify(body));
    expect(bytes).toBeLessThan(MAX_BODY_BYTES);
    const path = `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants`;

    let t = performance.now();
    const added = await send(admin, "POST", path, body);
    const addMs = Math.round(performance.now() - t);
    expect({ status: added.status, text: added.text.slice(0, 300) }).toEqual({ status: 200, text: expect.any(String) });
    expect(added.json).toMatchObject({ status: "ACCEPTED", added: BULK, removed: 0, merchantCount: BULK + 2 });
    expect(await prisma.metaKeyAssignment.count({ where: { keyId: twoMidKey.keyId } })).toBe(BULK + 2);

    t = performance.now();
    const list = await send(admin, "GET", `${path}?offset=50000&limit=1000`);
    const listMs = Math.round(performance.now() - t);
    expect(list.json).toMatchObject({ totalCount: BULK + 2, offset: 50_000, limit: 1000, count: 1000 });
    // In MID order: kmsmeta_… come first, then merchant12378 and merchant12379.
    expect((list.json as { merchants: { organizationId: string }[] }).merchants[0]).toEqual({
      organizationId: bulkMid(50_001),
    });

    // Added again: nothing new (the rows exist).
    const again = await send(admin, "POST", path, { merchantIds: mids.slice(0, 1000) });
    expect(again.json).toMatchObject({ added: 0, merchantCount: BULK + 2 });

    t = performance.now();
    const removed = await send(admin, "POST", `${path}/deletes`, body);
    const removeMs = Math.round(performance.now() - t);
    expect({ status: removed.status, text: removed.text.slice(0, 300) }).toEqual({
      status: 200,
      text: expect.any(String),
    });
    expect(removed.json).toMatchObject({ added: 0, removed: BULK, merchantCount: 2 });
    expect(await assignedMids(twoMidKey.keyId)).toEqual(["merchant12378", "merchant12379"]);

    const audits = await prisma.auditEvent.findMany({
      where: { targetId: twoMidKey.keyId, action: "key.meta.update" },
      orderBy: { seq: "asc" },
    });
    expect(audits.map((a) => a.details)).toEqual([
      { from: "CUSTOM", to: "CUSTOM", added: BULK, removed: 0 },
      { from: "CUSTOM", to: "CUSTOM", added: 0, removed: 0 },
      { from: "CUSTOM", to: "CUSTOM", added: 0, removed: BULK },
    ]);
    expect(audits.every((a) => a.actorEmail === `via Key Management API, key ${admin.keyId}`)).toBe(true);
    console.log(
      `meta-key bulk through the served app: add ${BULK} MIDs ${addMs} ms (body ${(bytes / 1024 / 1024).toFixed(2)} MiB), ` +
        `list a page of 1000 at offset 50000 of ${BULK + 2} ${listMs} ms, remove ${BULK} MIDs ${removeMs} ms`,
    );
  }, 180_000);

  it("regenerates a meta key: a new key with the same MIDs; the original stays active", async () => {
    const r = await send(admin, "POST", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/regenerate`, {
      name: "Regenerated API meta key",
    });
    expect({ status: r.status, text: r.text.slice(0, 300) }).toEqual({ status: 201, text: expect.any(String) });
    const info = (r.json as { keyInformation: Record<string, unknown> }).keyInformation;
    expect(info).toMatchObject({
      organizationId: PORTFOLIO,
      scope: "CUSTOM",
      merchantCount: 2,
      regeneratedFrom: twoMidKey.keyId,
      status: "ACTIVE",
    });
    const newId = info.keyId as string;
    expect(newId).not.toBe(twoMidKey.keyId);
    const list = await send(admin, "GET", `/keycenter/v1/meta-keys/${newId}/merchants`);
    expect((list.json as { merchants: unknown[] }).merchants).toEqual([
      { organizationId: "merchant12378" },
      { organizationId: "merchant12379" },
    ]);
    const original = await prisma.key.findUniqueOrThrow({ where: { id: twoMidKey.keyId } });
    expect(original.deletedAt).toBeNull();
    expect(original.deactivatedAt).toBeNull();
    expect(original.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect((await pay(twoMidKey.keyId, twoMidKey.secret, "merchant12378")).status).toBe(201);
    expect((await pay(newId, info.key as string, "merchant12378")).status).toBe(201);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { targetId: newId, action: "key.meta.regenerate" },
    });
    expect(audit).toMatchObject({ actorEmail: `via Key Management API, key ${admin.keyId}` });
    // Once only.
    expectRefusal(await send(admin, "POST", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/regenerate`), 400);
  });

  it("refuses a key without Key Management API permission (403), and changes nothing", async () => {
    const keys = await prisma.key.count();
    expectRefusal(await send(withoutApi, "POST", "/keycenter/v1/meta-keys", { scope: "ALL" }), 403);
    expectRefusal(await send(withoutApi, "GET", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants`), 403);
    expectRefusal(
      await send(withoutApi, "POST", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants`, {
        merchantIds: ["merchant45601"],
      }),
      403,
    );
    expect(await prisma.key.count()).toBe(keys);
    expect(await assignedMids(twoMidKey.keyId)).toEqual(["merchant12378", "merchant12379"]);
  });

  it("refuses another portfolio's MID, whole: nothing created, nothing assigned", async () => {
    const keys = await prisma.key.count();
    const created = await send(admin, "POST", "/keycenter/v1/meta-keys", {
      scope: "CUSTOM",
      merchantIds: ["merchant12378", "initech01"],
    });
    expectRefusal(created, 400);
    expect(created.json).toMatchObject({ details: [{ field: "merchantIds", reason: "INVALID_DATA" }] });
    expect(String(created.json!.message)).toContain("initech01");
    expect(await prisma.key.count()).toBe(keys);
    for (const mids of [["initech01"], ["merchant45601", "initech01"], ["acme_acct"], ["nosuchmid"]]) {
      const r = await send(admin, "POST", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants`, {
        merchantIds: mids,
      });
      expectRefusal(r, 400);
    }
    expect(await assignedMids(twoMidKey.keyId)).toEqual(["merchant12378", "merchant12379"]);
    // Another portfolio as the owner.
    expectRefusal(
      await send(admin, "POST", "/keycenter/v1/meta-keys", { scope: "ALL", organizationId: "initech_portfolio" }),
      400,
    );
    expect(await prisma.key.count()).toBe(keys);
  });

  it("refuses a caller whose creator's role lacks Manage meta keys, for every meta-key change", async () => {
    const keys = await prisma.key.count();
    expectRefusal(await send(noMetaRole, "POST", "/keycenter/v1/meta-keys", { scope: "ALL" }), 403);
    expectRefusal(
      await send(noMetaRole, "POST", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants`, {
        merchantIds: ["merchant45601"],
      }),
      403,
    );
    expectRefusal(
      await send(noMetaRole, "POST", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants/deletes`, {
        merchantIds: ["merchant12379"],
      }),
      403,
    );
    expectRefusal(await send(noMetaRole, "POST", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/regenerate`), 403);
    expect(await prisma.key.count()).toBe(keys);
    expect(await assignedMids(twoMidKey.keyId)).toEqual(["merchant12378", "merchant12379"]);
    // Viewing keys is in the role: the listing answers.
    expect((await send(noMetaRole, "GET", `/keycenter/v1/meta-keys/${twoMidKey.keyId}/merchants`)).status).toBe(200);
  });

  it("refuses while meta keys are switched off for the owning organization", async () => {
    await prisma.orgSettings.upsert({
      where: { orgId: "globex_acct" },
      create: { orgId: "globex_acct", metaKeysEnabled: false },
      update: { metaKeysEnabled: false },
    });
    try {
      const keys = await prisma.key.count();
      const r = await send(admin, "POST", "/keycenter/v1/meta-keys", {
        organizationId: "globex_acct",
        scope: "CUSTOM",
        merchantIds: ["merchant45601"],
      });
      expectRefusal(r, 403);
      expect(String(r.json!.message)).toMatch(/meta key feature is turned off/);
      expect(await prisma.key.count()).toBe(keys);
    } finally {
      await prisma.orgSettings.update({ where: { orgId: "globex_acct" }, data: { metaKeysEnabled: true } });
    }
    // On again: the account's meta key is created.
    const on = await send(admin, "POST", "/keycenter/v1/meta-keys", {
      organizationId: "globex_acct",
      scope: "CUSTOM",
      merchantIds: ["merchant45601"],
    });
    expect(on.status).toBe(201);
    // A transacting MID cannot own a meta key.
    expectRefusal(
      await send(admin, "POST", "/keycenter/v1/meta-keys", { organizationId: "merchant45601", scope: "ALL" }),
      400,
    );
  });

  it("answers bad input with a 400 in the API's error form, never a 5xx", async () => {
    const keys = await prisma.key.count();
    const base = `/keycenter/v1/meta-keys/${twoMidKey.keyId}`;
    const bad: [string, string, unknown][] = [
      ["POST", "/keycenter/v1/meta-keys", undefined],
      ["POST", "/keycenter/v1/meta-keys", {}],
      ["POST", "/keycenter/v1/meta-keys", "not json {"],
      ["POST", "/keycenter/v1/meta-keys", { scope: "SOME" }],
      ["POST", "/keycenter/v1/meta-keys", { scope: "CUSTOM" }],
      ["POST", "/keycenter/v1/meta-keys", { scope: "CUSTOM", merchantIds: [] }],
      ["POST", "/keycenter/v1/meta-keys", { scope: "CUSTOM", merchantIds: ["bad id!"] }],
      ["POST", "/keycenter/v1/meta-keys", { scope: "CUSTOM", merchantIds: ["x".repeat(31)] }],
      ["POST", "/keycenter/v1/meta-keys", { scope: "ALL", merchantIds: ["merchant12378"] }],
      ["POST", "/keycenter/v1/meta-keys", { scope: "ALL", keyType: "PGP" }],
      ["POST", "/keycenter/v1/meta-keys", { scope: "ALL", name: "a\u0000b" }],
      ["POST", "/keycenter/v1/meta-keys", { scope: "ALL", keyManagementApi: "yes" }],
      ["POST", `${base}/merchants`, { merchantIds: "merchant12378" }],
      ["POST", `${base}/merchants`, { merchantIds: Array.from({ length: BULK + 1 }, (_, i) => `m${i}`) }],
      ["POST", `${base}/merchants/deletes`, { merchantIds: [null] }],
      ["POST", `${base}/merchants/deletes`, { merchantIds: ["merchant12378", "merchant12379"] }], // none left
      ["POST", `${base}/regenerate`, { name: 42 }],
      ["GET", `${base}/merchants?limit=0`, undefined],
      ["GET", `${base}/merchants?limit=1001`, undefined],
      ["GET", `${base}/merchants?offset=-1`, undefined],
      ["GET", `${base}/merchants?offset=abc`, undefined],
      ["GET", `${base}/merchants?offset=1&offset=2`, undefined],
      ["GET", `${base}/merchants?sort=mid`, undefined],
      ["GET", "/keycenter/v1/meta-keys/a%00b/merchants", undefined],
    ];
    const got = [];
    for (const [method, path, body] of bad) {
      const r = await send(admin, method, path, body);
      got.push({ method, path: path.slice(0, 80), status: r.status, form: r.json?.status });
    }
    expect(got).toEqual(
      bad.map(([method, path]) => ({ method, path: path.slice(0, 80), status: 400, form: "INVALID_REQUEST" })),
    );
    expect(await prisma.key.count()).toBe(keys);
    expect(await assignedMids(twoMidKey.keyId)).toEqual(["merchant12378", "merchant12379"]);
  });

  it("answers 404 for an unknown key, a regular key and a key of another portfolio", async () => {
    const regular = (
      (await createKey("REST_SHARED_SECRET", {
        ctx: await ctxFor("merchant12378", "merchant.admin@keycenter.test"),
      })) as SharedSecretResult
    ).key.id;
    const foreign = (
      (await createKey("REST_SHARED_SECRET", {
        ctx: await ctxFor("initech_portfolio", "initech.admin@keycenter.test", { meta: { scope: "ALL" } }),
      })) as SharedSecretResult
    ).key.id;
    for (const keyId of ["no-such-key", regular, foreign]) {
      const base = `/keycenter/v1/meta-keys/${keyId}`;
      expectRefusal(await send(admin, "GET", `${base}/merchants`), 404);
      expectRefusal(await send(admin, "POST", `${base}/merchants`, { merchantIds: ["merchant12378"] }), 404);
      expectRefusal(await send(admin, "POST", `${base}/merchants/deletes`, { merchantIds: ["merchant12378"] }), 404);
      expectRefusal(await send(admin, "POST", `${base}/regenerate`), 404);
    }
    expect(await prisma.key.findUniqueOrThrow({ where: { id: regular } })).toMatchObject({ metaScope: null });
  });
});
