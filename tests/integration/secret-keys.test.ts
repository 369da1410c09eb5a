import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { prisma } from "@/lib/db";
import type { Environment } from "@/lib/generated/prisma/enums";
import type { ServiceContext } from "@/lib/context";
import {
  assertCreatable,
  createPgpKey,
  createSecureAcceptanceKey,
  createSharedSecretKey,
  createTokenManagementMleKey,
  creatability,
  readSecret,
  retiredMessage,
  SHARED_SECRET_MERCHANT_ONLY,
} from "@/lib/keys/secret-keys";
import { expiryFor } from "@/lib/keys/types";
import { seed } from "../helpers/fixtures";
import { Gpg } from "../helpers/gpg";
import { openssl } from "../helpers/openssl";

/** A service context for a real org row and a real user, as serviceContext() builds from a session. */
async function ctxFor(
  orgId: string,
  email: string,
  opts: { environment?: Environment; now?: Date } = {},
): Promise<ServiceContext> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
  const user = await prisma.user.findUniqueOrThrow({ where: { email } });
  return {
    actor: { actorId: user.id, actorEmail: user.email, ip: "127.0.0.1", userAgent: "vitest" },
    org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId },
    environment: opts.environment ?? "TEST",
    now: opts.now,
  };
}

const merchant = (opts?: { environment?: Environment; now?: Date }) =>
  ctxFor("merchant12378", "merchant.admin@keycenter.test", opts);

async function counts() {
  return { keys: await prisma.key.count(), audits: await prisma.auditEvent.count() };
}

/** Runs `fn`, expects an AppError, and checks that no key and no audit record was written. */
async function refusedWithoutTrace(fn: () => Promise<unknown>): Promise<AppError> {
  const before = await counts();
  const error = await fn().then(
    () => {
      throw new Error("it was accepted");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(await counts()).toEqual(before);
  return error as AppError;
}

async function auditOf(keyId: string) {
  return prisma.auditEvent.findMany({ where: { targetType: "key", targetId: keyId } });
}

/** Every field of an audit record as text. */
const auditText = (a: { seq: bigint }) => JSON.stringify({ ...a, seq: String(a.seq) });

const work = mkdtempSync(path.join(tmpdir(), "kc-secret-keys-"));
const gpg = new Gpg();
function rsaPublicPem(bits: number): string {
  const file = path.join(work, `rsa${bits}-${Math.random().toString(36).slice(2)}.pem`);
  openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", `rsa_keygen_bits:${bits}`, "-out", file);
  return openssl("pkey", "-in", file, "-pubout");
}

/** Every secret handed out in this file; none may be found in the database. */
const handedOut: string[] = [];

beforeAll(seed);
afterAll(() => {
  gpg.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe("REST – Shared Secret", () => {
  it("creates a UUID key ID and a 32-byte base64 secret, returned once and stored only sealed", async () => {
    const ctx = await merchant();
    const { key, secret, download } = await createSharedSecretKey({ ctx, name: "Checkout signer" });
    handedOut.push(secret);
    expect(key.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Buffer.from(secret, "base64")).toHaveLength(32);
    expect(key).toMatchObject({ type: "REST_SHARED_SECRET", orgId: "merchant12378", environment: "TEST" });
    expect(key).not.toHaveProperty("secretCiphertext");
    expect(key.expiresAt).toEqual(expiryFor("REST_SHARED_SECRET", key.createdAt));

    const row = await prisma.key.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.secretCiphertext).not.toBeNull();
    expect(Buffer.from(row.secretCiphertext!).includes(Buffer.from(secret))).toBe(false);
    expect(row.secretKeyVersion).toBe(1);
    expect(readSecret(row)).toBe(secret);

    expect(download.filename).toBe(`${key.id}.pem`);
    expect(download.content).toContain(`Key ID: ${key.id}`);
    expect(download.content).toContain(`Shared Secret: ${secret}`);
  });

  it("writes one key.create audit record without the secret", async () => {
    const ctx = await merchant();
    const { key, secret } = await createSharedSecretKey({ ctx });
    handedOut.push(secret);
    const [audit, ...more] = await auditOf(key.id);
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({ action: "key.create", orgId: "merchant12378", actorEmail: ctx.actor.actorEmail });
    expect(audit!.details).toMatchObject({ type: "REST_SHARED_SECRET", environment: "TEST" });
    expect(auditText(audit!)).not.toContain(secret);
    expect(key.name).toMatch(/^REST – Shared Secret \d{4}-\d{2}-\d{2}$/);
  });

  it("refuses a portfolio and a merchant account org: they create shared secrets as meta keys", async () => {
    for (const [org, email] of [
      ["portfolioabc", "portfolio.admin@keycenter.test"],
      ["acme_acct", "account.admin@keycenter.test"],
    ] as const) {
      const ctx = await ctxFor(org, email);
      const e = await refusedWithoutTrace(() => createSharedSecretKey({ ctx }));
      expect(e.code).toBe("MERCHANT_ONLY");
      expect(e.userMessage).toBe(SHARED_SECRET_MERCHANT_ONLY);
      expect(e.userMessage).toMatch(/transacting merchant.*meta keys/);
    }
  });

  it("lets a portfolio user who acts for a transacting MID create it for that MID", async () => {
    const ctx = await ctxFor("merchant45601", "portfolio.admin@keycenter.test");
    const { key, secret } = await createSharedSecretKey({ ctx });
    handedOut.push(secret);
    expect(key.orgId).toBe("merchant45601");
  });
});

describe("Secure Acceptance", () => {
  const input = { name: "Web checkout", signatureVersion: "1", signatureMethod: "HMAC-SHA256" };

  it("creates an access key (the key ID) and a 256-hex secret key for one of the merchant's profiles", async () => {
    const ctx = await merchant();
    const result = await createSecureAcceptanceKey({ ctx, ...input, securityProfileId: "PRF-12378-WEB" });
    handedOut.push(result.secretKey);
    expect(result.accessKey).toMatch(/^[0-9a-f]{32}$/);
    expect(result.secretKey).toMatch(/^[0-9a-f]{256}$/);
    expect(result.key).toMatchObject({
      id: result.accessKey,
      type: "SECURE_ACCEPTANCE",
      name: "Web checkout",
      securityProfileId: "PRF-12378-WEB",
      details: { signatureVersion: "1", signatureMethod: "HMAC-SHA256" },
    });
    expect(result.key.expiresAt).toEqual(expiryFor("SECURE_ACCEPTANCE", result.key.createdAt));
    const months =
      (result.key.expiresAt.getUTCFullYear() - result.key.createdAt.getUTCFullYear()) * 12 +
      result.key.expiresAt.getUTCMonth() -
      result.key.createdAt.getUTCMonth();
    expect(months).toBe(24);

    const row = await prisma.key.findUniqueOrThrow({ where: { id: result.accessKey } });
    expect(readSecret(row)).toBe(result.secretKey);
    expect(result.download.content).toContain(`Access Key: ${result.accessKey}`);
    expect(result.download.content).toContain(`Secret Key: ${result.secretKey}`);
    const [audit] = await auditOf(result.accessKey);
    expect(audit!.details).toMatchObject({ securityProfileId: "PRF-12378-WEB" });
    expect(auditText(audit!)).not.toContain(result.secretKey);
  });

  it("refuses another org's security profile and an unknown one, beside the Security Profile field", async () => {
    const ctx = await merchant();
    for (const securityProfileId of ["PRF-45601-WEB", "PRF-NOPE", ""]) {
      const e = await refusedWithoutTrace(() => createSecureAcceptanceKey({ ctx, ...input, securityProfileId }));
      expect(e.fields?.securityProfileId).toMatch(/security profiles of merchant12378/);
    }
  });

  it("refuses a missing key name and any signature version or method but 1 and HMAC-SHA256", async () => {
    const ctx = await merchant();
    const base = { ctx, ...input, securityProfileId: "PRF-12378-WEB" };
    const noName = await refusedWithoutTrace(() => createSecureAcceptanceKey({ ...base, name: "  " }));
    expect(noName.fields).toHaveProperty("name");
    const v2 = await refusedWithoutTrace(() => createSecureAcceptanceKey({ ...base, signatureVersion: "2" }));
    expect(v2.fields).toHaveProperty("signatureVersion");
    const sha1 = await refusedWithoutTrace(() => createSecureAcceptanceKey({ ...base, signatureMethod: "HMAC-SHA1" }));
    expect(sha1.fields).toHaveProperty("signatureMethod");
  });
});

describe("SOAP Toolkit retirement", () => {
  const at = (iso: string) => new Date(iso);

  it("allows SOAP Toolkit keys in test until July 15, 2025 and refuses them from July 16, 2025", () => {
    expect(() =>
      assertCreatable({ type: "SOAP_TOOLKIT", environment: "TEST", now: at("2025-07-15T23:59:59Z") }),
    ).not.toThrow();
    const refused = creatability({ type: "SOAP_TOOLKIT", environment: "TEST", now: at("2025-07-16T00:00:00Z") });
    expect(refused).toMatchObject({ creatable: false, code: "KEY_TYPE_RETIRED" });
    expect(() =>
      assertCreatable({ type: "SOAP_TOOLKIT", environment: "TEST", now: at("2025-07-16T00:00:00Z") }),
    ).toThrow(AppError);
  });

  it("allows SOAP Toolkit keys in production until August 12, 2025 and refuses them from August 13, 2025", () => {
    expect(
      creatability({ type: "SOAP_TOOLKIT", environment: "PRODUCTION", now: at("2025-08-12T23:59:59Z") }).creatable,
    ).toBe(true);
    // Test is already retired then; production is not yet.
    expect(creatability({ type: "SOAP_TOOLKIT", environment: "TEST", now: at("2025-08-12T12:00:00Z") }).creatable).toBe(
      false,
    );
    expect(
      creatability({ type: "SOAP_TOOLKIT", environment: "PRODUCTION", now: at("2025-08-13T00:00:00Z") }).creatable,
    ).toBe(false);
  });

  it("says why, with the date and the guide's pointer to Simple Order keys", () => {
    const test = retiredMessage("SOAP_TOOLKIT", "TEST")!;
    expect(test).toMatch(/SOAP Toolkit keys are no longer supported in the test environment since July 16, 2025/);
    expect(test).toMatch(/certificate-based Simple Order key/);
    expect(retiredMessage("SOAP_TOOLKIT", "PRODUCTION")).toMatch(/production environment since August 13, 2025/);
    expect(retiredMessage("PGP", "TEST")).toBeNull();
    let error: AppError | undefined;
    try {
      assertCreatable({ type: "SOAP_TOOLKIT", environment: "PRODUCTION", now: at("2026-01-01T00:00:00Z") });
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.userMessage).toBe(retiredMessage("SOAP_TOOLKIT", "PRODUCTION"));
  });

  it("refuses types that are only found by search, and allows the other creatable types", () => {
    expect(creatability({ type: "ISV_BRIDGE", environment: "TEST" })).toMatchObject({
      creatable: false,
      code: "KEY_TYPE_NOT_CREATABLE",
    });
    for (const type of ["REST_SHARED_SECRET", "SECURE_ACCEPTANCE", "PGP", "TOKEN_MANAGEMENT_MLE"] as const) {
      expect(creatability({ type, environment: "PRODUCTION" }).creatable).toBe(true);
    }
  });
});

describe("PGP", () => {
  let oneYear: string;
  let forever: string;
  let ed25519: string;
  let fingerprint: string;

  beforeAll(() => {
    fingerprint = gpg.genKey("Acme Reports <reports@acme.test>", "rsa3072", "cert,sign", "1y");
    gpg.addKey(fingerprint, "rsa3072", "encr", "1y");
    oneYear = gpg.exportPublic(fingerprint);
    forever = gpg.exportPublic(gpg.genKey("Acme Forever <forever@acme.test>", "rsa2048", "cert,encr", "never"));
    const ed = gpg.genKey("Acme Ed <ed@acme.test>", "ed25519", "cert,sign", "1y");
    gpg.addKey(ed, "cv25519", "encr", "1y");
    ed25519 = gpg.exportPublic(ed);
  }, 120_000);

  it("stores the public key, fingerprint and user IDs; expires with the key's own expiry when sooner", async () => {
    const ctx = await merchant();
    const { key } = await createPgpKey({ ctx, armoredKey: oneYear, name: "Account Updater" });
    expect(key).toMatchObject({ type: "PGP", fingerprint, name: "Account Updater", environment: "TEST" });
    expect(key.publicKey).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    expect(key.details).toMatchObject({
      userIds: ["Acme Reports <reports@acme.test>"],
      algorithm: "RSA",
      bits: 3072,
      pgpKeyId: fingerprint.slice(-16),
    });
    const own = new Date((key.details as { keyExpiresAt: string }).keyExpiresAt);
    expect(key.expiresAt.getTime()).toBeLessThanOrEqual(own.getTime());
    expect(key.expiresAt.getTime()).toBeLessThan(expiryFor("PGP", key.createdAt).getTime());
    const [audit] = await auditOf(key.id);
    expect(audit!.details).toMatchObject({ fingerprint });
  });

  it("refuses the same key again in the same environment, but takes it in production", async () => {
    const e = await refusedWithoutTrace(async () => createPgpKey({ ctx: await merchant(), armoredKey: oneYear }));
    expect(e.code).toBe("DUPLICATE_KEY");
    expect(e.fields?.publicKey).toMatch(/already active for merchant12378 in the test environment/);
    const prod = await createPgpKey({ ctx: await merchant({ environment: "PRODUCTION" }), armoredKey: oneYear });
    expect(prod.key.environment).toBe("PRODUCTION");
  });

  it("takes the same key again once the earlier one is deactivated", async () => {
    const ctx = await merchant();
    await prisma.key.updateMany({
      where: { orgId: "merchant12378", environment: "TEST", type: "PGP", fingerprint },
      data: { deactivatedAt: new Date() },
    });
    const { key } = await createPgpKey({ ctx, armoredKey: oneYear });
    expect(key.fingerprint).toBe(fingerprint);
  });

  it("gives a key without its own expiry the three-year lifetime", async () => {
    const { key } = await createPgpKey({ ctx: await merchant(), armoredKey: forever });
    expect(key.expiresAt).toEqual(expiryFor("PGP", key.createdAt));
    expect(key.details).toMatchObject({ keyExpiresAt: null });
  });

  it("refuses an Ed25519 key and a private key block, writing nothing", async () => {
    const ctx = await merchant();
    const notRsa = await refusedWithoutTrace(() => createPgpKey({ ctx, armoredKey: ed25519 }));
    expect(notRsa.code).toBe("PGP_NOT_RSA");
    const secret = gpg.exportSecret(fingerprint);
    const priv = await refusedWithoutTrace(() => createPgpKey({ ctx, armoredKey: secret }));
    expect(priv.code).toBe("PGP_PRIVATE_KEY");
  });
});

describe("Token Management MLE", () => {
  let pem2048: string;
  beforeAll(() => {
    pem2048 = rsaPublicPem(2048);
  });

  it("stores the normalized SPKI, its SHA-256 fingerprint and the size", async () => {
    const { key } = await createTokenManagementMleKey({ ctx: await merchant(), publicKey: pem2048 });
    expect(key).toMatchObject({ type: "TOKEN_MANAGEMENT_MLE", details: { algorithm: "RSA", bits: 2048 } });
    expect(key.publicKey!.trim()).toBe(pem2048.trim());
    expect(key.fingerprint).toMatch(/^[0-9A-F]{64}$/);
    expect(key.expiresAt).toEqual(expiryFor("TOKEN_MANAGEMENT_MLE", key.createdAt));
  });

  it("lets only one of two simultaneous uploads of the same key through", async () => {
    const ctx = await merchant();
    const publicKey = rsaPublicPem(2048);
    const outcomes = await Promise.allSettled([
      createTokenManagementMleKey({ ctx, publicKey }),
      createTokenManagementMleKey({ ctx, publicKey }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === "rejected");
    expect((rejected?.reason as AppError).code).toBe("DUPLICATE_KEY");
  });

  it("refuses an RSA-1024 key, writing nothing", async () => {
    const ctx = await merchant();
    const e = await refusedWithoutTrace(() => createTokenManagementMleKey({ ctx, publicKey: rsaPublicPem(1024) }));
    expect(e.code).toBe("PUBLIC_KEY_RSA_TOO_SHORT");
  });
});

/** Text and binary columns of every table, as the database would hand them to anyone reading it. */
async function everyStoredValue(): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'bytea', 'jsonb', 'json', 'ARRAY')`,
    );
    const parts: string[] = [];
    for (const c of columns) {
      const expr = c.data_type === "bytea" ? `encode("${c.column_name}", 'hex')` : `"${c.column_name}"::text`;
      const { rows } = await client.query<{ v: string | null }>(`SELECT ${expr} AS v FROM "${c.table_name}"`);
      for (const r of rows) if (r.v) parts.push(r.v);
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}

describe("secrets at rest", () => {
  it("finds none of the handed-out secrets in a dump of the database", async () => {
    const ctx = await merchant();
    const shared = await createSharedSecretKey({ ctx });
    const sa = await createSecureAcceptanceKey({
      ctx,
      name: "Mobile checkout",
      signatureVersion: "1",
      signatureMethod: "HMAC-SHA256",
      securityProfileId: "PRF-12378-MOB",
    });
    handedOut.push(shared.secret, sa.secretKey);
    expect(handedOut.length).toBeGreaterThanOrEqual(6);

    // Plain text, and the hex a bytea column would show if a secret were stored unsealed.
    const needles = handedOut.flatMap((s) => [s, Buffer.from(s).toString("hex")]);
    const scanned = await everyStoredValue();
    expect(scanned).toContain(shared.key.id); // the scan does see the keys
    for (const needle of needles) expect(scanned.includes(needle), "secret found by SELECT").toBe(false);

    let dump: string | undefined;
    try {
      dump = (
        await promisify(execFile)("/usr/bin/pg_dump", ["--no-owner", `--dbname=${process.env.DATABASE_URL}`], {
          maxBuffer: 256 * 1024 * 1024,
        })
      ).stdout;
    } catch (e) {
      // An embedded PGlite server does not serve pg_dump; the SELECT scan above still ran.
      // On a real PostgreSQL server a failing pg_dump fails the test.
      if (process.env.KEYCENTER_EMBEDDED_DB !== "1") throw e;
      console.warn(`pg_dump skipped: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    if (dump !== undefined) {
      expect(dump).toContain(shared.key.id);
      for (const needle of needles) expect(dump.includes(needle), "secret found by pg_dump").toBe(false);
    }
  });
});
