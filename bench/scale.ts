/**
 * Portfolio scale (issue 21): one portfolio, 100 accounts, 1,000,000 MIDs, 10,000,000 keys,
 * 1,000,000 audit events, 1,000,000 gateway transactions, a meta key for all current and future
 * MIDs and one assigned to 100,000 MIDs. Measures, as the portfolio's Administrator:
 *   - every portfolio page through the served app (`npm start`), p50/p95 of one user;
 *   - both CSV exports (Key Management's Search Results and Audit): first byte and total;
 *   - key search at 10,000,000 keys against the same SQL by hand (bench/search.ts);
 *   - assigning 1,000,000 MIDs to a new meta key ("select all matching", one INSERT … SELECT);
 *   - the gateway's meta-key check (its one prepared statement + the rules), p99;
 *   - Switch merchant search and the MID picker's "select all matching" count (in this process);
 *   - the expiry-alert scan over 10,000,000 keys.
 * Targets: pages p95 ≤ 150 ms, export first byte ≤ 500 ms, key search p95 ≤ 5 ms and ≤ 1.1× hand
 * SQL, assignment ≤ 10 s, meta-key check p99 ≤ 0.5 ms; nothing fails.
 *
 * The fixture takes minutes to build: it is kept in the database keycenter_bench_scale and used
 * again by the next run when its sizes match (BENCH_SCALE_FRESH=1 builds it anew). Sizes:
 * BENCH_SCALE_MIDS, BENCH_SCALE_KEYS, BENCH_SCALE_ROWS (audit events and transactions each).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freshBenchDatabase, ms, summarize } from "./bench-db";
import { seedActivity, servedPortal } from "./pages";
import { measureSearch, seedKeys } from "./search";

const MIDS = Number(process.env.BENCH_SCALE_MIDS ?? 1_000_000);
const KEYS = Number(process.env.BENCH_SCALE_KEYS ?? 10_000_000);
const ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 20);
const CUSTOM_MIDS = Math.min(100_000, MIDS);
const DB_NAME = "keycenter_bench_scale";
const PORTFOLIO = "benchportfolio";
/** A MID of the fixture (mid424242 at full size). */
const SOME_MID = `mid${Math.min(424_242, MIDS)}`;
const TARGET = { page: 150, firstByte: 500, searchP95: 5, searchRatio: 1.1, assignMs: 10_000, checkP99: 0.5 };

interface Fixture {
  mids: number;
  keys: number;
  rows: number;
  masterKey: string;
  authSecret: string;
  allKey: string;
  customKey: string;
  smallKey: string;
  seedSeconds: number;
}

function serverUrl(): string {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!server) throw new Error("Benchmarks need a real PostgreSQL: set BENCH_DATABASE_URL or DATABASE_URL.");
  return server;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, values)).rows;
  } finally {
    await c.end();
  }
}

/** The kept fixture when its sizes match, else null. */
async function keptFixture(): Promise<{ url: string; fixture: Fixture } | null> {
  if (process.env.BENCH_SCALE_FRESH === "1") return null;
  const u = new URL(serverUrl());
  if (!(await query(u.toString(), "SELECT 1 FROM pg_database WHERE datname = $1", [DB_NAME])).length) return null;
  u.pathname = `/${DB_NAME}`;
  const url = u.toString();
  try {
    const [row] = await query<{ spec: Fixture }>(url, "SELECT spec FROM bench_fixture");
    if (!row || row.spec.mids !== MIDS || row.spec.keys !== KEYS || row.spec.rows !== ROWS) return null;
    const { migrate } = await import("@/lib/db-admin/migrate");
    await migrate(url);
    return { url, fixture: row.spec };
  } catch {
    return null;
  }
}

async function buildFixture(): Promise<{ url: string; fixture: Fixture }> {
  const url = await freshBenchDatabase(DB_NAME);
  const t0 = performance.now();
  console.log(`Seeding ${MIDS.toLocaleString()} MIDs and ${KEYS.toLocaleString()} keys…`);
  await seedKeys(url, { keys: KEYS, merchants: MIDS });
  console.log(`Seeding ${ROWS.toLocaleString()} audit events and transactions…`);
  await seedActivity(url, { rows: ROWS, merchants: MIDS });
  const masterKey = randomBytes(32).toString("base64");
  const authSecret = randomBytes(32).toString("base64");
  process.env.DATABASE_URL = url;
  process.env.KEYCENTER_MASTER_KEY = masterKey;
  const { prisma } = await import("@/lib/db");
  const { createSharedSecretKey } = await import("@/lib/keys/secret-keys");
  const owner = await prisma.organization.findUniqueOrThrow({ where: { id: PORTFOLIO } });
  const ctx = { actor: { actorId: "bench", actorEmail: "bench@keycenter.test" }, org: owner, environment: "TEST" as const };
  console.log(`Meta keys: all current and future MIDs, ${CUSTOM_MIDS.toLocaleString()} MIDs, one MID…`);
  const { key: all } = await createSharedSecretKey({ ctx: { ...ctx, meta: { scope: "ALL" } } });
  const { key: custom } = await createSharedSecretKey({ ctx: { ...ctx, meta: { scope: "CUSTOM", mids: ["mid1"] } } });
  const { key: small } = await createSharedSecretKey({ ctx: { ...ctx, meta: { scope: "CUSTOM", mids: ["mid1"] } } });
  // The custom key's other 99,999 MIDs as rows, as "select all matching" would have written them.
  await prisma.$executeRaw`INSERT INTO meta_key_assignments ("keyId", mid)
    SELECT ${custom.id}, 'mid' || g FROM generate_series(2, ${CUSTOM_MIDS}::int) g`;
  const fixture: Fixture = {
    mids: MIDS,
    keys: KEYS,
    rows: ROWS,
    masterKey,
    authSecret,
    allKey: all.id,
    customKey: custom.id,
    smallKey: small.id,
    seedSeconds: (performance.now() - t0) / 1000,
  };
  await prisma.$executeRaw`CREATE TABLE bench_fixture (spec jsonb NOT NULL)`;
  await prisma.$executeRaw`INSERT INTO bench_fixture (spec) VALUES (${JSON.stringify(fixture)}::jsonb)`;
  await prisma.$executeRaw`ANALYZE`;
  console.log(`  fixture built in ${fixture.seedSeconds.toFixed(0)} s`);
  return { url, fixture };
}

const pass = (ok: boolean) => (ok ? "✅" : "❌");

export async function benchScale(): Promise<string> {
  const kept = await keptFixture();
  const { url, fixture } = kept ?? (await buildFixture());
  process.env.DATABASE_URL = url;
  process.env.KEYCENTER_MASTER_KEY = fixture.masterKey;
  process.env.BETTER_AUTH_SECRET = fixture.authSecret;
  const out: string[] = [
    `${MIDS.toLocaleString()} MIDs in 100 accounts under one portfolio, ${KEYS.toLocaleString()} keys, ${ROWS.toLocaleString()} audit events and ${ROWS.toLocaleString()} transactions; meta keys for all MIDs and for ${CUSTOM_MIDS.toLocaleString()} MIDs. Fixture ${kept ? "kept from an earlier run" : "built in this run"} (built in ${fixture.seedSeconds.toFixed(0)} s).`,
    "",
  ];
  const failures: string[] = [];

  // 1. Portfolio pages and exports through the served app, as the portfolio's Administrator.
  const portal = await servedPortal(url, PORTFOLIO);
  try {
    const pages: [string, string][] = [
      ["Dashboard", "/dashboard"],
      ["Key Management, default search", "/keys"],
      ["Key Management, Merchant + all dates", `/keys?merchant=${SOME_MID}&expiresIn=all`],
      [`Key Information (meta key, ${CUSTOM_MIDS.toLocaleString()} MIDs)`, `/keys/${fixture.customKey}`],
      [`Edit Key (MID picker over ${MIDS.toLocaleString()} MIDs)`, `/keys/${fixture.customKey}/edit`],
      ["Create Key", "/keys/new"],
      ["Transactions", "/transactions"],
      ["Transactions, one MID", "/transactions?merchantId=mid4242"],
      ["Audit", "/audit"],
      ["Audit, page 150", "/audit?page=150"],
      ["Users", "/users"],
      ["Roles", "/roles"],
      ["Reports", "/reports"],
      ["Notifications", "/notifications"],
      ["Settings", "/settings"],
    ];
    out.push(
      `Pages: the served app, ${SAMPLES} requests each after 3 unmeasured, one user (server response time, whole body).`,
      "",
      "| Page | URL | p50 | p95 | target p95 ≤ 150 ms |",
      "|---|---|---:|---:|---|",
    );
    for (const [name, p] of pages) {
      try {
        for (let i = 0; i < 3; i++) await portal.time(p);
        const samples: number[] = [];
        for (let i = 0; i < SAMPLES; i++) samples.push((await portal.time(p)).ms);
        const s = summarize(samples);
        if (s.p95 > TARGET.page) failures.push(`${name} p95 ${s.p95.toFixed(0)} ms`);
        out.push(`| ${name} | \`${p}\` | ${s.p50.toFixed(0)} ms | ${s.p95.toFixed(0)} ms | ${pass(s.p95 <= TARGET.page)} |`);
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
        out.push(`| ${name} | \`${p}\` | failed: ${(e as Error).message} | | ❌ |`);
      }
    }
    out.push(
      "",
      "| Export | URL | rows | first byte | total | target first byte ≤ 500 ms |",
      "|---|---|---:|---:|---:|---|",
    );
    for (const [name, p] of [
      ["Key Management: Export (all dates, the portfolio's own keys)", "/keys/export?expiresIn=all"],
      ["Key Management: Export (one merchant)", `/keys/export?merchant=${SOME_MID}&expiresIn=all`],
      ["Audit: Export CSV (the whole portfolio)", "/audit/export"],
    ] as const) {
      try {
        const r = await portal.stream(p);
        if (r.firstByteMs > TARGET.firstByte) failures.push(`${name} first byte ${r.firstByteMs.toFixed(0)} ms`);
        out.push(
          `| ${name} | \`${p}\` | ${(r.lines - 1).toLocaleString()} | ${r.firstByteMs.toFixed(0)} ms | ${(r.totalMs / 1000).toFixed(1)} s | ${pass(r.firstByteMs <= TARGET.firstByte)} |`,
        );
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
        out.push(`| ${name} | \`${p}\` | failed: ${(e as Error).message} | | | ❌ |`);
      }
    }
  } finally {
    await portal.app.stop();
  }

  console.log(out.splice(0).join("\n"));

  // 2. Key search at this size against hand SQL.
  const search = await measureSearch(url, {
    keys: KEYS,
    merchants: MIDS,
    iterations: Number(process.env.BENCH_SCALE_SEARCHES ?? 300),
    target: { p95: TARGET.searchP95, ratio: TARGET.searchRatio },
  });
  out.push("", `Key search at ${KEYS.toLocaleString()} keys (random merchants; count + one page):`, "", ...search.table);
  if (search.worstP95 > TARGET.searchP95 || search.worstRatio > TARGET.searchRatio) {
    failures.push(`key search worst p95 ${search.worstP95.toFixed(2)} ms, ${search.worstRatio.toFixed(2)}×`);
  }

  console.log(out.splice(0).join("\n"));

  // 3. In this process: assignment, the gateway's check, Switch merchant, MID picker, alert scan.
  const { prisma } = await import("@/lib/db");
  const { createSharedSecretKey } = await import("@/lib/keys/secret-keys");
  const { keyProblem, loadKey } = await import("@/lib/gateway/keys");
  const { disconnectGatewayDb } = await import("@/lib/gateway/db");
  const { searchOrgsWithin } = await import("@/lib/orgs/search");
  const { searchMids } = await import("@/lib/orgs/mids");
  const { scanExpiringKeys } = await import("@/lib/alerts/scan");
  const owner = await prisma.organization.findUniqueOrThrow({ where: { id: PORTFOLIO } });
  const ctx = { actor: { actorId: "bench", actorEmail: "bench@keycenter.test" }, org: owner, environment: "TEST" as const };

  const checks = Number(process.env.BENCH_SCALE_CHECKS ?? 2000);
  const keys = {
    [`explicit assignment (${CUSTOM_MIDS.toLocaleString()} MIDs)`]: { id: fixture.customKey, covers: true },
    "All current and future MIDs": { id: fixture.allKey, covers: true },
    "MID not assigned": { id: fixture.smallKey, covers: false },
  };
  const midAt = (i: number) => `mid${2 + ((i * 7919) % (CUSTOM_MIDS - 1))}`;
  const covers = async (keyId: string, mid: string) => {
    const row = await loadKey(keyId, mid);
    return row !== null && keyProblem(row, mid, "TEST", new Date()) === null;
  };
  for (let i = 0; i < 3000; i++) await covers(Object.values(keys)[i % 3]!.id, midAt(i));
  out.push(
    "",
    '| gateway check "may key K act for MID M" (its prepared statement + the rules) | n | p50 | p99 | target p99 ≤ 0.5 ms |',
    "|---|---|---|---|---|",
  );
  for (const [name, key] of Object.entries(keys)) {
    const samples: number[] = [];
    for (let i = 0; i < checks; i++) {
      const mid = midAt(i * 13);
      const s = performance.now();
      const ok = await covers(key.id, mid);
      samples.push(performance.now() - s);
      if (ok !== key.covers) throw new Error(`wrong answer for ${name} and ${mid}`);
    }
    const st = summarize(samples);
    if (st.p99 > TARGET.checkP99) failures.push(`${name} check p99 ${st.p99.toFixed(2)} ms`);
    out.push(`| ${name} | ${checks} | ${ms(st.p50)} | ${ms(st.p99)} | ${pass(st.p99 <= TARGET.checkP99)} |`);
  }

  const timedRuns = async (label: string, f: () => Promise<unknown>) => {
    const samples: number[] = [];
    let result: unknown;
    for (let i = 0; i < SAMPLES + 2; i++) {
      const s = performance.now();
      result = await f();
      if (i >= 2) samples.push(performance.now() - s);
    }
    const st = summarize(samples);
    if (st.p95 > TARGET.page) failures.push(`${label} p95 ${st.p95.toFixed(0)} ms`);
    return { st, result };
  };
  out.push("", "| In this process (service call, as the page's action runs it) | p50 | p95 | result | target p95 ≤ 150 ms |", "|---|---:|---:|---|---|");
  for (const [label, f, describe] of [
    ["Switch merchant search, \"4242\"", () => searchOrgsWithin(owner, "4242"), (r: unknown) => `${(r as unknown[]).length} shown`],
    ["Switch merchant search, \"Merchant 99999\"", () => searchOrgsWithin(owner, "Merchant 99999"), (r: unknown) => `${(r as unknown[]).length} shown`],
    [
      "MID picker: filter Merchant Name \"Merchant 4242\" (count + page, = \"select all matching\")",
      () => searchMids({ owner, filter: { name: "Merchant 4242" } }),
      (r: unknown) => `${(r as { total: number }).total.toLocaleString()} matching`,
    ],
    [
      "MID picker: one account (count + page)",
      () => searchMids({ owner, filter: { account: "acct7_acct" } }),
      (r: unknown) => `${(r as { total: number }).total.toLocaleString()} matching`,
    ],
  ] as const) {
    const { st, result } = await timedRuns(label, f);
    out.push(`| ${label} | ${st.p50.toFixed(1)} ms | ${st.p95.toFixed(1)} ms | ${describe(result)} | ${pass(st.p95 <= TARGET.page)} |`);
  }

  // Last but the scan: the 1,000,000-row write (and its removal) leaves the database busy with
  // checkpoints and vacuum for a while; measured before the checks, it put their p99 at 2–3 ms.
  const t0 = performance.now();
  try {
    const { key: everyMid } = await createSharedSecretKey({
      ctx: { ...ctx, meta: { scope: "CUSTOM", mids: [], allMatching: {} } },
    });
    const assignMs = performance.now() - t0;
    const assigned = await prisma.metaKeyAssignment.count({ where: { keyId: everyMid.id } });
    // Not kept: the next run measures the same assignment on the same fixture, which should not
    // carry 1,000,000 dead rows (they made the next run's count of a 100,000-MID key a 390 ms
    // scan until autovacuum came by).
    await prisma.$executeRaw`DELETE FROM keys WHERE id = ${everyMid.id}`;
    await prisma.$executeRawUnsafe("VACUUM ANALYZE meta_key_assignments");
    const ok = assignMs <= TARGET.assignMs && assigned === MIDS;
    if (!ok) failures.push(`assignment ${assignMs.toFixed(0)} ms, ${assigned} rows`);
    out.push(
      "",
      `Assigning every MID ("select all matching" with no filter: the key, ${assigned.toLocaleString()} assignment rows and the audit record in one transaction): **${(assignMs / 1000).toFixed(2)} s** (target ≤ 10 s) ${pass(ok)}`,
    );
  } catch (e) {
    failures.push(`assignment failed after ${(performance.now() - t0).toFixed(0)} ms: ${(e as Error).message.trim().split("\n").pop()}`);
    out.push("", `Assigning every MID: **failed** after ${((performance.now() - t0) / 1000).toFixed(1)} s ❌`);
  }

  const scan0 = performance.now();
  const scan = await scanExpiringKeys(prisma, new Date());
  const scanMs = performance.now() - scan0;
  const pending = await query<{ n: string }>(url, `SELECT count(*) n FROM expiry_alerts`).catch(() => [{ n: "?" }]);
  out.push(
    "",
    `Expiry-alert scan over ${KEYS.toLocaleString()} keys: ${scan.alerts.toLocaleString()} alerts raised in ${(scanMs / 1000).toFixed(1)} s (${pending[0]?.n} alerts in the table; a kept fixture has them from an earlier run, so a later scan has little to raise).`,
  );

  await prisma.$disconnect();
  await disconnectGatewayDb();
  out.push("", failures.length ? `Not met or failed: ${failures.join("; ")}.` : "Every target met; nothing failed.");
  return out.join("\n");
}
