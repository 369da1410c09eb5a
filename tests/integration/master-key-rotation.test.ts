/**
 * Master-key rotation (issue 16) while KeyCenter runs, on real PostgreSQL through the served
 * app (npm start), paying with the official Cybersource SDK (cybersource-rest-client):
 * every sealed value — key secrets (REST shared secrets, Secure Acceptance), CA and gateway MLE
 * private keys, a TOTP secret, a webhook secret — is sealed under master key 1; the app is
 * restarted with key 2 current and key 1 previous; the rotation runs in this process while
 * payments go on (one after every batch, and a loop besides), is stopped part-way (a crash) and
 * resumed; `npm run master-key:rotate` then re-seals nothing and says the old key can be
 * dropped; the app restarted with key 2 alone starts (its start-up check) and pays. Every value
 * opens to the plaintext it had. Each run is audited.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { orgWebhook } from "@/lib/alerts/webhook";
import { createWebhookSecret } from "@/lib/alerts/webhook-settings";
import { startEnrollment } from "@/lib/auth/mfa";
import { loadOrCreateEnvironmentCredentials } from "@/lib/crypto/environment";
import { checkMasterKey } from "@/lib/crypto/master-key-check";
import { countOlder, rotateMasterKey, SEALED_COLUMNS } from "@/lib/crypto/rotation";
import { openSecret, sealSecret } from "@/lib/crypto/secrets";
import { createSecureAcceptanceKey, createSharedSecretKey, readSecret } from "@/lib/keys/secret-keys";
import { scriptClient } from "@/scripts/db";
import { seed, serviceContext } from "../helpers/fixtures";
import { type ServedApp, startServedApp } from "../helpers/served-app";

const require = createRequire(import.meta.url);
const cybersource = require("cybersource-rest-client");
const ROOT = path.resolve(import.meta.dirname, "..", "..");

const KEY_1 = process.env.KEYCENTER_MASTER_KEY!; // tests/helpers/integration-setup.ts
const KEY_2 = Buffer.alloc(32, 9).toString("base64");
const ONLY_1 = { KEYCENTER_MASTER_KEY: KEY_1, KEYCENTER_MASTER_KEY_VERSION: "1", KEYCENTER_MASTER_KEYS_PREVIOUS: "" };
const ROTATING = { KEYCENTER_MASTER_KEY: KEY_2, KEYCENTER_MASTER_KEY_VERSION: "2", KEYCENTER_MASTER_KEYS_PREVIOUS: `1:${KEY_1}` };
const ONLY_2 = { KEYCENTER_MASTER_KEY: KEY_2, KEYCENTER_MASTER_KEY_VERSION: "2", KEYCENTER_MASTER_KEYS_PREVIOUS: "" };
const saved = { ...process.env };

/** This process's master keys (secrets.ts reads them on every call). */
function useKeys(env: Record<string, string>) {
  Object.assign(process.env, env);
}

/** Extra shared secrets, so that the rotation takes several batches (and a payment uses one of them). */
const BULK_KEYS = 300;
const BATCH = 25;
const CRASH_AFTER = 60;
const MERCHANT = "merchant12378";

let app: ServedApp;
let db: ReturnType<typeof scriptClient>;
let shared: { id: string; secret: string };
let lastBulk: { id: string; secret: string };
let secureAcceptance: { id: string; secret: string };
let totp: { userId: string; secret: string };
let webhookSecret: string;
let caKeyPem: string;
/** Every sealed value's plaintext digest, by table and row, before the rotation. */
let before: Map<string, string>;
const duringRotation: number[] = [];
const timings: Record<string, number> = {};

function sdkPay(key: { id: string; secret: string }): Promise<number> {
  const api = new cybersource.PaymentsApi(
    {
      runEnvironment: "apitest.cybersource.com",
      intermediateHost: app.base,
      logConfiguration: { enableLog: false },
      authenticationType: "http_signature",
      merchantID: MERCHANT,
      merchantKeyId: key.id,
      merchantsecretKey: key.secret,
    },
    new cybersource.ApiClient(),
  );
  const body = {
    clientReferenceInformation: { code: "master-key-rotation" },
    paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
    orderInformation: { amountDetails: { totalAmount: "10.00", currency: "USD" } },
  };
  return new Promise((resolve) => {
    api.createPayment(body, (error: { status?: number } | null, _data: unknown, response: { status?: number }) =>
      resolve(response?.status ?? error?.status ?? 0),
    );
  });
}

/** Every sealed value, opened with the context SEALED_COLUMNS names, as digests (never the plaintext itself). */
async function openedDigests(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of SEALED_COLUMNS) {
    const extra = (c.columns ?? []).map((x) => `, "${x}"`).join("");
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT "${c.id}" AS id, "${c.blob}" AS blob${extra} FROM "${c.table}" WHERE "${c.blob}" IS NOT NULL`,
    );
    for (const row of rows) {
      const plain = openSecret(row.blob as Uint8Array, c.context({ ...row, [c.id]: row.id }));
      out.set(`${c.table}:${String(row.id)}`, createHash("sha256").update(plain).digest("hex"));
    }
  }
  return out;
}

/** The sealed values' version bytes, by table: { keys: { 1: 310 }, … }. */
async function versionBytes(): Promise<Record<string, Record<number, number>>> {
  const out: Record<string, Record<number, number>> = {};
  for (const c of SEALED_COLUMNS) {
    const rows = await db.$queryRawUnsafe<{ v: number; n: bigint }[]>(
      `SELECT get_byte("${c.blob}", 0) AS v, count(*) AS n FROM "${c.table}" WHERE "${c.blob}" IS NOT NULL GROUP BY 1`,
    );
    out[c.table] = Object.fromEntries(rows.map((r) => [Number(r.v), Number(r.n)]));
  }
  return out;
}

/** `npm run master-key:rotate` as an operator runs it, with these keys. */
function rotateScript(env: Record<string, string>, args: string[] = []) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/master-key-rotate.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, DATABASE_URL: process.env.DATABASE_URL },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function restartApp(env: Record<string, string>) {
  await app?.stop();
  const t = performance.now();
  app = await startServedApp({ env });
  timings.restartMs = Math.round(performance.now() - t);
}

describe("master-key rotation while KeyCenter runs", () => {
  beforeAll(async () => {
    useKeys(ONLY_1);
    db = scriptClient(process.env.DATABASE_URL!);
    await seed();
    const ctx = await serviceContext(MERCHANT);
    const s = await createSharedSecretKey({ ctx });
    shared = { id: s.key.id, secret: s.secret };
    const sa = await createSecureAcceptanceKey({
      ctx,
      name: "Rotation SA",
      signatureVersion: "1",
      signatureMethod: "HMAC-SHA256",
      securityProfileId: "PRF-12378-WEB",
    });
    secureAcceptance = { id: sa.accessKey, secret: sa.secretKey };
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
    totp = { userId: user.id, secret: (await startEnrollment(user)).secret };
    webhookSecret = (await createWebhookSecret({ ctx })).secret;
    caKeyPem = (await loadOrCreateEnvironmentCredentials("TEST", prisma)).issuingCa.privateKeyPem;
    const bulk = Array.from({ length: BULK_KEYS }, () => ({ id: randomUUID(), secret: randomBytes(32).toString("base64") }));
    await prisma.key.createMany({
      data: bulk.map((k, i) => ({
        id: k.id,
        type: "REST_SHARED_SECRET" as const,
        environment: "TEST" as const,
        orgId: MERCHANT,
        name: `Bulk ${i}`,
        expiresAt: new Date(Date.now() + 365 * 86_400_000),
        secretCiphertext: new Uint8Array(sealSecret(k.secret, k.id)),
        secretKeyVersion: 1,
      })),
    });
    // The key the rotation reaches last (ids in order): paid with before, during and after.
    lastBulk = bulk.reduce((a, b) => (a.id > b.id ? a : b));
    before = await openedDigests();
    app = await startServedApp({ env: ONLY_1 });
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    for (const k of Object.keys({ ...ROTATING })) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("pays with master key 1, every sealed value under version 1", async () => {
    expect(await sdkPay(shared)).toBe(201);
    expect(await sdkPay(lastBulk)).toBe(201);
    const versions = await versionBytes();
    expect(Object.keys(versions.keys!)).toEqual(["1"]);
    expect(versions.keys![1]).toBeGreaterThanOrEqual(BULK_KEYS + 2);
    expect(versions).toMatchObject({
      environment_credentials: { 1: 3 },
      users: { 1: 1 },
      org_settings: { 1: 1 },
    });
    expect(before.size).toBe(Object.values(versions).reduce((a, v) => a + (v[1] ?? 0), 0));
  });

  it("refuses to rotate without the version, or without the key the values are sealed under; nothing changes", async () => {
    const noVersion = rotateScript({ ...ROTATING, KEYCENTER_MASTER_KEY_VERSION: "" });
    expect(noVersion.status).toBe(2);
    expect(noVersion.out).toMatch(/KEYCENTER_MASTER_KEY_VERSION/);
    const noPrevious = rotateScript(ONLY_2);
    expect(noPrevious.status).toBe(2);
    expect(noPrevious.out).toMatch(/version\(s\) 1, which KEYCENTER_MASTER_KEYS_PREVIOUS has no key for/);
    expect(noPrevious.out).not.toContain(KEY_1);
    useKeys(ROTATING);
    expect((await countOlder(db)).left).toBe(before.size);
  }, 120_000);

  it("after a rolling restart onto key 2 (key 1 previous), re-seals everything while payments go on, resuming after a crash", async () => {
    await restartApp(ROTATING);
    expect(await sdkPay(shared)).toBe(201);
    useKeys(ROTATING);

    // Payments besides the rotation, in a loop, until it is done; and one after every batch.
    let rotating = true;
    const loop = (async () => {
      while (rotating) duringRotation.push(await sdkPay(duringRotation.length % 2 ? shared : lastBulk));
    })();
    const payBetweenBatches = async () => {
      duringRotation.push(await sdkPay(lastBulk));
    };
    const t = performance.now();
    try {
      // Stopped part-way, as by a crash.
      const crashed = await rotateMasterKey({ db, batchSize: BATCH, maxRows: CRASH_AFTER, onProgress: payBetweenBatches });
      expect(crashed.resealed).toBe(CRASH_AFTER);
      expect(crashed.complete).toBe(false);
      expect(crashed.left).toBe(before.size - CRASH_AFTER);
      expect(crashed.sources[0]).toMatchObject({ table: "keys", resealed: CRASH_AFTER });
      // Part-way: both keys open the database (the start-up check passes); key 2 alone does not yet.
      expect(await checkMasterKey(db)).toEqual({ ok: true });
      useKeys(ONLY_2);
      const alone = await checkMasterKey(db);
      useKeys(ROTATING);
      expect(alone.ok).toBe(false);
      expect(await sdkPay(lastBulk)).toBe(201);

      const resumed = await rotateMasterKey({ db, batchSize: BATCH, onProgress: payBetweenBatches });
      expect(resumed.resealed).toBe(before.size - CRASH_AFTER);
      expect(resumed.complete).toBe(true);
      expect(resumed.left).toBe(0);
      expect(resumed.sources.map((s) => s.changedMeanwhile)).toEqual([0, 0, 0, 0]);
    } finally {
      rotating = false;
      await loop;
    }
    timings.rotationMs = Math.round(performance.now() - t);
    expect(duringRotation.length).toBeGreaterThan(before.size / BATCH);
    expect(duringRotation.filter((s) => s !== 201)).toEqual([]);
    expect(await sdkPay(lastBulk)).toBe(201);
  }, 180_000);

  it("npm run master-key:rotate again re-seals nothing and says key 1 can be dropped; every value opens to what it was", async () => {
    const again = rotateScript(ROTATING);
    expect(again.status).toBe(0);
    expect(again.out).toContain("0 value(s) re-sealed under version 2");
    expect(again.out).toContain("0 values left under older master keys: KEYCENTER_MASTER_KEYS_PREVIOUS can be dropped");
    const check = rotateScript(ROTATING, ["--check"]);
    expect(check.status).toBe(0);
    for (const out of [again.out, check.out]) {
      for (const secret of [shared.secret, KEY_1, KEY_2, webhookSecret, totp.secret]) expect(out).not.toContain(secret);
    }

    const versions = await versionBytes();
    for (const [table, byVersion] of Object.entries(versions)) expect(Object.keys(byVersion), table).toEqual(["2"]);
    expect(await prisma.key.count({ where: { secretCiphertext: { not: null }, secretKeyVersion: { not: 2 } } })).toBe(0);
    expect(await prisma.environmentCredential.count({ where: { keyVersion: { not: 2 } } })).toBe(0);

    // With key 2 alone: the same plaintexts, through the app's own readers.
    useKeys(ONLY_2);
    expect(await openedDigests()).toEqual(before);
    const key = (id: string) => prisma.key.findUniqueOrThrow({ where: { id } });
    expect(readSecret(await key(shared.id))).toBe(shared.secret);
    expect(readSecret(await key(secureAcceptance.id))).toBe(secureAcceptance.secret);
    expect(readSecret(await key(lastBulk.id))).toBe(lastBulk.secret);
    const totpRow = await prisma.user.findUniqueOrThrow({ where: { id: totp.userId } });
    expect(openSecret(totpRow.totpSecret!, `totp:${totp.userId}`).toString("utf8")).toBe(totp.secret);
    await prisma.orgSettings.update({ where: { orgId: MERCHANT }, data: { webhookUrl: "https://hooks.example.test/x" } });
    expect((await orgWebhook(prisma, MERCHANT))?.secret).toBe(webhookSecret);
    expect((await loadOrCreateEnvironmentCredentials("TEST", prisma)).issuingCa.privateKeyPem).toBe(caKeyPem);
  }, 120_000);

  it("with key 1 dropped, the app starts (its master-key check passes) and pays", async () => {
    useKeys(ONLY_2);
    expect(await checkMasterKey(db)).toEqual({ ok: true });
    await restartApp(ONLY_2);
    expect(app.output()).not.toMatch(/does not open this database/);
    expect(await sdkPay(shared)).toBe(201);
    expect(await sdkPay(lastBulk)).toBe(201);
  }, 120_000);

  it("audits each run with its counts, never a secret", async () => {
    const runs = await prisma.auditEvent.findMany({ where: { action: "system.master_key_rotate" }, orderBy: { seq: "asc" } });
    expect(runs.map((r) => r.details)).toMatchObject([
      { version: 2, resealed: CRASH_AFTER, left: before.size - CRASH_AFTER, complete: false },
      { version: 2, resealed: before.size - CRASH_AFTER, left: 0, complete: true },
      { version: 2, resealed: 0, left: 0, complete: true },
    ]);
    expect(runs.map((r) => r.result)).toEqual(["success", "success", "success"]);
    expect(runs[2]!.userAgent).toBe("npm run master-key:rotate");
    const text = JSON.stringify(runs.map((r) => r.details));
    for (const secret of [shared.secret, lastBulk.secret, KEY_1, KEY_2, webhookSecret, totp.secret]) {
      expect(text).not.toContain(secret);
    }
    console.log(
      `master-key rotation: ${before.size} values re-sealed (${CRASH_AFTER} before the crash, batches of ${BATCH}) in ` +
        `${timings.rotationMs} ms with ${duringRotation.length} SDK payments during it (all 201); app restart ${timings.restartMs} ms`,
    );
  });
});
