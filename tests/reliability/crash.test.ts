/**
 * Crash mid-write: a KeyCenter process (crash-worker.ts: the service code the portal's actions
 * and the alert runner run) is killed with SIGKILL in the middle of a .p12 issuance, of a
 * 100,000-MID meta-key assignment and of an alert delivery batch. Afterwards there is no
 * half-created key, no partly written assignment set, no audit record without its change (nor
 * a change without its audit record), and the alert goes out once when delivery resumes.
 *
 * The kill lands inside the write, not by luck of timing: the test holds the audit chain's lock
 * (lib/audit.ts, taken by the last step of every audited change, in the change's transaction),
 * waits until PostgreSQL shows the worker's backend waiting for it (its key row or its 100,000
 * assignment rows written, uncommitted), kills the worker there, then lets go of the lock.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAIM_LEASE_MS } from "@/lib/alerts/deliver";
import { scanExpiringKeys } from "@/lib/alerts/scan";
import { prisma } from "@/lib/db";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { serviceContext } from "../helpers/fixtures";
import { seedWithKey, sleep } from "./support";

const MIDS = 100_000;
const work = mkdtempSync(path.join(tmpdir(), "kc-rel-crash-"));

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function worker(args: string[]): Worker {
  let output = "";
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "tests/reliability/crash-worker.ts", ...args],
    { env: { ...process.env, KEYCENTER_LOG: "silent" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(w: Worker, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(w.output())) {
    if (Date.now() > deadline) throw new Error(`worker: no ${pattern} in ${timeoutMs} ms:\n${w.output()}`);
    if (w.child.exitCode !== null) throw new Error(`worker exited (${w.child.exitCode}):\n${w.output()}`);
    await sleep(20);
  }
}

async function kill9(w: Worker): Promise<void> {
  w.child.kill("SIGKILL");
  await w.exited;
}

/** lib/audit.ts's transaction-scoped advisory lock that keeps the audit chain linear. */
const AUDIT_LOCK = 727002;

/**
 * Holds the audit chain's lock in a transaction of this test's own, so that an audited change
 * elsewhere stops at its last step, inside its transaction, until `release`.
 */
async function holdAuditLock() {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query("BEGIN");
  await c.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_LOCK]);
  const waiting = async (): Promise<number | null> => {
    const r = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
      [AUDIT_LOCK],
    );
    return r.rows[0]?.pid ?? null;
  };
  return {
    /** The backend that waits for the lock: it is inside its transaction, its rows written. */
    async waiter(w: Worker, timeoutMs = 120_000): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pid = await waiting();
        if (pid !== null) return pid;
        if (Date.now() > deadline) throw new Error(`no backend waits for the audit lock:\n${w.output()}`);
        if (w.child.exitCode !== null) throw new Error(`worker exited (${w.child.exitCode}):\n${w.output()}`);
        await sleep(10);
      }
    },
    /** Lets go; then waits until the killed worker's backend has ended (its transaction rolled back). */
    async release(pid: number): Promise<void> {
      await c.query("COMMIT");
      for (let i = 0; i < 500; i++) {
        const r = await c.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]);
        if (r.rowCount === 0) break;
        await sleep(20);
      }
      await c.end();
    },
  };
}

describe("crash mid-write (kill -9)", () => {
  beforeAll(async () => {
    await seedWithKey();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("during .p12 issuance: every key row is whole and has its audit record, and every record its key", async () => {
    // The demo data's keys were made without the service (no audit records): only new keys count.
    const seeded = (await prisma.key.findMany({ select: { id: true } })).map((k) => k.id);
    const w = worker(["p12"]);
    await waitFor(w, /issued/, 120_000); // one whole issuance
    const lock = await holdAuditLock();
    // The next issuance stops inside its transaction (its key row inserted) and is killed there.
    const pid = await lock.waiter(w);
    await kill9(w);
    await lock.release(pid);
    const issued = w.output().match(/^issued /gm)?.length ?? 0;
    const keys = await prisma.key.findMany({
      where: { type: "REST_CERTIFICATE", orgId: "merchant12378", id: { notIn: seeded } },
    });
    // The whole issuances are there; the one killed inside its transaction left nothing.
    expect(issued).toBeGreaterThanOrEqual(1);
    expect(keys).toHaveLength(issued);
    for (const k of keys) {
      expect(await prisma.auditEvent.count({ where: { targetId: k.id } })).toBeGreaterThan(0);
    }
    // No audit record names a key that is not there.
    const created = await prisma.auditEvent.findMany({ where: { action: { startsWith: "key.create" } } });
    for (const e of created) if (e.targetId) expect(await prisma.key.count({ where: { id: e.targetId } })).toBe(1);
    console.log(`p12 crash: killed inside issuance ${issued + 1}'s transaction (backend ${pid}); ${keys.length} whole key(s) left, each with its audit record`);
  });

  it("during a 100,000-MID meta-key assignment: all of it or none of it, with its audit record or without", async () => {
    await prisma.$executeRawUnsafe(`
      INSERT INTO organizations (id, name, type, status, "parentId", "portfolioId", "accountId")
      VALUES ('scale_acct_0', 'Scale account', 'ACCOUNT', 'ACTIVE', 'portfolioabc', 'portfolioabc', NULL)`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO organizations (id, name, type, status, "parentId", "portfolioId", "accountId")
      SELECT 'scale_mid_' || lpad(i::text, 6, '0'), 'Scale MID ' || i, 'MERCHANT', 'ACTIVE',
             'scale_acct_0', 'portfolioabc', 'scale_acct_0'
      FROM generate_series(1, ${MIDS}) i`);
    const ctx = await serviceContext("portfolioabc", { meta: { scope: "CUSTOM", mids: ["merchant12378"] } });
    const { key } = await createSharedSecretKey({ ctx });
    const audits = () => prisma.auditEvent.count({ where: { targetId: key.id, action: "key.meta.update" } });
    const assigned = () => prisma.metaKeyAssignment.count({ where: { keyId: key.id } });

    const lock = await holdAuditLock();
    const w = worker(["assign", key.id, String(MIDS)]);
    await waitFor(w, /assigning/);
    // Killed inside its transaction: the 100,000 rows inserted, the audit record next.
    const started = Date.now();
    const pid = await lock.waiter(w);
    const insertMs = Date.now() - started;
    await kill9(w);
    await lock.release(pid);
    const n = await assigned();
    const a = await audits();
    console.log(`assignment crash: killed inside the transaction after its ${MIDS.toLocaleString()}-row insert (~${insertMs} ms in, backend ${pid}); afterwards ${n} assignment row(s) (1 before), ${a} audit record(s)`);
    expect(n).toBe(1);
    expect(a).toBe(0);

    // Done again, whole: all of it, one audit record more.
    const again = worker(["assign", key.id, String(MIDS)]);
    expect(await again.exited).toBe(0);
    expect(await assigned()).toBe(MIDS + 1);
    expect(await audits()).toBe(a + 1);
  });

  it("during an alert delivery batch: after a restart each email goes out once", async () => {
    const orgId = `crash_${randomUUID().slice(0, 8)}`;
    await prisma.organization.create({ data: { id: orgId, name: "Crash Inc", type: "MERCHANT" } });
    for (const n of [1, 2, 3]) {
      await prisma.user.create({
        data: { id: randomUUID(), email: `admin${n}@${orgId}.test`, name: `Admin ${n}`, orgId, roleId: "role_administrator" },
      });
    }
    const keyId = `crash-alert-${orgId}`;
    const now = new Date();
    await prisma.key.create({
      data: { id: keyId, type: "PGP", environment: "TEST", orgId, name: "Expiring", expiresAt: new Date(now.getTime() + 5 * 86_400_000) },
    });
    await scanExpiringKeys(prisma, now);
    const sent = path.join(work, "sent.txt");

    const w = worker(["deliver", orgId, now.toISOString(), sent, "3000"]);
    await waitFor(w, /sending/);
    await sleep(300);
    await kill9(w);
    expect(existsSync(sent)).toBe(false);
    const stuck = await prisma.alertDelivery.findMany({ where: { alert: { keyId }, channel: "EMAIL" } });
    console.log(`alert crash: after the kill ${JSON.stringify(stuck.map((d) => [d.status, d.attempts, Boolean(d.claimToken)]))}`);
    expect(stuck.some((d) => d.status === "PENDING" && d.attempts === 1 && d.claimToken)).toBe(true);

    // Restarted: the dead process's claims are taken again once their lease ends.
    const later = new Date(now.getTime() + CLAIM_LEASE_MS + 60_000);
    const r = worker(["deliver", orgId, later.toISOString(), sent, "10"]);
    expect(await r.exited).toBe(0);
    const lines = readFileSync(sent, "utf8").trim().split("\n").sort();
    expect(lines).toEqual([1, 2, 3].map((n) => `admin${n}@${orgId}.test`).sort());
    const deliveries = await prisma.alertDelivery.findMany({ where: { alert: { keyId } } });
    expect(deliveries.every((d) => d.status === "SENT")).toBe(true);
    expect(await prisma.notification.count({ where: { keyId } })).toBe(1);
  });
});
