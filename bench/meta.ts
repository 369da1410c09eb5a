/**
 * Meta keys at scale (issue #7): assigning a custom selection of 100,000 MIDs with "select
 * all matching" (one INSERT … SELECT in the database), and the gateway's question "may key
 * K act for MID M" as the gateway asks it (lib/gateway/authenticate.ts loadKey + keyProblem: one
 * prepared statement, then the rules) for an explicit assignment, an
 * All-current-and-future key and a MID that is not assigned.
 * Targets: assignment ≤ 2 s; check p99 ≤ 1 ms.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freshBenchDatabase, ms, summarize } from "./bench-db";

const MIDS = Number(process.env.BENCH_META_MIDS ?? 100_000);
const CHECKS = Number(process.env.BENCH_META_CHECKS ?? 2_000);

export async function benchMeta() {
  const url = await freshBenchDatabase("keycenter_bench_meta");
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`INSERT INTO organizations (id, name, type) VALUES ('bigportfolio', 'Big', 'PORTFOLIO')`);
  await c.query(`INSERT INTO org_settings ("orgId", "updatedAt") VALUES ('bigportfolio', now())`);
  await c.query(`INSERT INTO organizations (id, name, type, "parentId", "portfolioId")
                 SELECT 'acct' || g || '_acct', 'Account ' || g, 'ACCOUNT', 'bigportfolio', 'bigportfolio' FROM generate_series(1, 10) g`);
  await c.query(
    `INSERT INTO organizations (id, name, type, "parentId", "portfolioId", "accountId")
     SELECT 'm' || lpad(g::text, 6, '0'), 'Store ' || g, 'MERCHANT', 'acct' || (g % 10 + 1) || '_acct', 'bigportfolio', 'acct' || (g % 10 + 1) || '_acct'
       FROM generate_series(1, $1::int) g`,
    [MIDS],
  );
  await c.query("ANALYZE");
  await c.end();

  process.env.DATABASE_URL = url;
  process.env.KEYCENTER_MASTER_KEY ??= randomBytes(32).toString("base64");
  const { prisma } = await import("@/lib/db");
  const { createSharedSecretKey } = await import("@/lib/keys/secret-keys");
  const { keyProblem, loadKey } = await import("@/lib/gateway/keys");
  const { disconnectGatewayDb } = await import("@/lib/gateway/db");
  // What the gateway runs for every request: the key row with the MID's coverage, then the rules.
  const gatewayCovers = async (key: { id: string }, mid: { id: string }) => {
    const row = await loadKey(key.id, mid.id);
    return row !== null && keyProblem(row, mid.id, "TEST", new Date()) === null;
  };
  const owner = await prisma.organization.findUniqueOrThrow({ where: { id: "bigportfolio" } });
  const ctx = {
    actor: { actorId: "bench", actorEmail: "bench@keycenter.test" },
    org: owner,
    environment: "TEST" as const,
  };

  const t0 = performance.now();
  const { key: custom } = await createSharedSecretKey({
    ctx: { ...ctx, meta: { scope: "CUSTOM", mids: [], allMatching: { name: "Store" } } },
  });
  const assignMs = performance.now() - t0;
  const assigned = await prisma.metaKeyAssignment.count({ where: { keyId: custom.id } });
  const { key: all } = await createSharedSecretKey({ ctx: { ...ctx, meta: { scope: "ALL" } } });
  const { key: small } = await createSharedSecretKey({
    ctx: { ...ctx, meta: { scope: "CUSTOM", mids: ["m000001"] } },
  });
  const mids = await prisma.organization.findMany({ where: { type: "MERCHANT" }, take: 500, orderBy: { id: "desc" } });
  const keys = {
    explicit: await prisma.key.findUniqueOrThrow({ where: { id: custom.id } }),
    all: await prisma.key.findUniqueOrThrow({ where: { id: all.id } }),
    notAssigned: await prisma.key.findUniqueOrThrow({ where: { id: small.id } }),
  };
  // Whichever check ran first showed a p99 tail of 1.5-2.6 ms and the others did not, in
  // either order (six runs, 2026-11-29): the process and the database were still settling after
  // the 100,000-row insert. One unmeasured round over all three keys first.
  for (let i = 0; i < 3000; i++) {
    const key = Object.values(keys)[i % 3]!;
    await gatewayCovers(key, mids[i % mids.length]!);
  }
  const rows: string[] = [];
  for (const [name, key] of Object.entries(keys)) {
    const samples: number[] = [];
    for (let i = 0; i < CHECKS + 100; i++) {
      const mid = mids[i % mids.length]!;
      const s = performance.now();
      const ok = await gatewayCovers(key, mid);
      if (i >= 100) samples.push(performance.now() - s);
      if (ok !== (name !== "notAssigned")) throw new Error(`wrong answer for ${name}`);
    }
    const st = summarize(samples);
    rows.push(`| ${name} | ${CHECKS} | ${ms(st.p50)} | ${ms(st.p99)} | ${st.p99 <= 1 ? "met" : "NOT met"} |`);
  }
  await prisma.$disconnect();
  await disconnectGatewayDb();
  return [
    `${MIDS.toLocaleString()} transacting MIDs under one portfolio (10 accounts).`,
    "",
    `Custom selection by "select all matching" (${assigned.toLocaleString()} MIDs, key + rows + audit in one transaction): ${(assignMs / 1000).toFixed(2)} s — target ≤ 2 s: ${assignMs <= 2000 ? "met" : "NOT met"}.`,
    "",
    '| check "may key K act for MID M" | n | p50 | p99 | target p99 ≤ 1 ms |',
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
