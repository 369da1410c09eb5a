/**
 * Crash mid-write: a KeyCenter process (crash-worker.ts: the service code the portal's actions
 * and the alert runner run) is killed with SIGKILL in the middle of a .p12 issuance, of a
 * 100,000-MID meta-key assignment and of an alert delivery batch. Afterwards there is no
 * half-created key, no partly written assignment set, no audit record without its change (nor
 * a change without its audit record), and the alert goes out once when delivery resumes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
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

describe("crash mid-write (kill -9)", () => {
  beforeAll(async () => {
    await seedWithKey();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("during .p12 issuance: every key row is whole and has its audit record, and every record its key", async () => {
    // The demo data's keys were made without the service (no audit records): only new keys count.
    const seeded = (await prisma.key.findMany({ select: { id: true } })).map((k) => k.id);
    const w = worker(["p12"]);
    await waitFor(w, /issued/, 120_000); // one whole issuance, then killed in the middle of another
    await waitFor(w, /issuing 2/);
    await sleep(150 + Math.floor(Math.random() * 300));
    await kill9(w);
    const keys = await prisma.key.findMany({
      where: { type: "REST_CERTIFICATE", orgId: "merchant12378", id: { notIn: seeded } },
    });
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const k of keys) {
      expect(await prisma.auditEvent.count({ where: { targetId: k.id } })).toBeGreaterThan(0);
    }
    // No audit record names a key that is not there.
    const created = await prisma.auditEvent.findMany({ where: { action: { startsWith: "key.create" } } });
    for (const e of created) if (e.targetId) expect(await prisma.key.count({ where: { id: e.targetId } })).toBe(1);
    console.log(`p12 crash: ${keys.length} whole key(s), killed mid-issuance; output: ${w.output().trim().split("\n").join(" | ")}`);
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

    const w = worker(["assign", key.id, String(MIDS)]);
    await waitFor(w, /assigning/);
    // Killed while its transaction runs (or, on a fast machine, after it: then all of it is there).
    await sleep(400);
    await kill9(w);
    const n = await assigned();
    const a = await audits();
    console.log(`assignment crash: ${n} assignment rows after the kill (1 before), ${a} audit record(s); worker said: ${w.output().trim().split("\n").join(" | ")}`);
    expect([1, MIDS + 1]).toContain(n);
    expect(a).toBe(n === 1 ? 0 : 1);

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
