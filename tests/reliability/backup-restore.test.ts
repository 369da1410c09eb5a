/**
 * Backup and restore drill: pg_dump of a populated database (keys, transactions, audit
 * records) restored with pg_restore into a new database on the cluster. Started on it with the
 * same KEYCENTER_MASTER_KEY, KeyCenter authenticates the SDK with keys issued before the backup
 * and the audit chain verifies; started with another master key, it refuses to start with a
 * clear error and leaves every sealed value as it was.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit-log";
import { prisma } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { type ServedApp, startServedApp } from "../helpers/served-app";
import { clusterUrl, pgRun } from "./cluster";
import { newKey, pay, type Secret, seedWithKey } from "./support";

const cluster = inject("cluster");
const restoredName = `kc_restored_${process.pid}`;
let before: Secret;
let apps: ServedApp[] = [];

async function sealedValues(db: PrismaClient) {
  const creds = await db.environmentCredential.findMany({ orderBy: { kind: "asc" } });
  const keys = await db.key.findMany({ where: { secretCiphertext: { not: null } }, orderBy: { id: "asc" } });
  return JSON.stringify({
    creds: creds.map((c) => [c.kind, Buffer.from(c.privateKeyCiphertext).toString("base64")]),
    keys: keys.map((k) => [k.id, Buffer.from(k.secretCiphertext!).toString("base64")]),
  });
}

function verifyChainOf(url: string): { intact: boolean; records: number } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "tests/reliability/verify-audit-chain.ts"], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`verify-audit-chain failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

describe("backup and restore", () => {
  beforeAll(async () => {
    before = await seedWithKey();
    await newKey();
    // Served once: the environment credentials exist and a payment is recorded.
    const app = await startServedApp();
    apps.push(app);
    // The first payment creates the environment credentials (CA and MLE keys): slow on a busy machine.
    expect((await pay(app.base, before, { timeoutMs: 90_000 })).status).toBe(201);
    await app.stop();
    apps = [];

    const dump = path.join(cluster.dir, "backup.dump");
    const source = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    pgRun(cluster, "pg_dump", ["-h", "127.0.0.1", "-p", String(cluster.port), "-U", "postgres", "-Fc", "-f", dump, source]);
    const admin = new pg.Client({ connectionString: clusterUrl(cluster) });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${restoredName}"`);
    await admin.end();
    pgRun(cluster, "pg_restore", [
      "-h", "127.0.0.1", "-p", String(cluster.port), "-U", "postgres", "--no-owner", "-d", restoredName, dump,
    ]);
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
  });

  it("with the same master key: the SDK's pre-backup key works and the audit chain verifies", async () => {
    const url = clusterUrl(cluster, restoredName);
    const app = await startServedApp({ env: { DATABASE_URL: url } });
    apps.push(app);
    const r = await pay(app.base, before, { timeoutMs: 60_000 });
    expect(r.status).toBe(201);
    const restored = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    try {
      expect(await restored.gatewayTransaction.count({ where: { id: r.id } })).toBe(1);
      expect(await prisma.gatewayTransaction.count({ where: { id: r.id } })).toBe(0);
    } finally {
      await restored.$disconnect();
    }
    // The audit chain, verified on the restored copy (and on the source, which has the same records).
    const copy = verifyChainOf(url);
    expect(copy).toMatchObject({ intact: true });
    expect(copy.records).toBeGreaterThan(0);
    expect(copy.records).toBe(await prisma.auditEvent.count());
    expect(await verifyAuditChain()).toMatchObject({ intact: true });
  });

  it("with another master key: a clear start-up error, nothing decrypted or overwritten", async () => {
    const url = clusterUrl(cluster, restoredName);
    const restored = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    try {
      const sealedBefore = await sealedValues(restored);
      const wrong = Buffer.alloc(32, 0x42).toString("base64");
      await expect(startServedApp({ env: { DATABASE_URL: url, KEYCENTER_MASTER_KEY: wrong } })).rejects.toThrow(
        /KEYCENTER_MASTER_KEY does not open this database's sealed values/,
      );
      expect(await sealedValues(restored)).toBe(sealedBefore);
    } finally {
      await restored.$disconnect();
    }
  });
});
