/**
 * Key search at 1,000,000 keys across 10,000 merchants: the server-side search
 * (lib/keys/search.ts: count + one page, SQL on the driver) against the same queries written
 * by hand in SQL (pg, no ORM), p50/p95 at 25 and 100 records per page.
 * Targets (issue #3): p95 ≤ 30 ms and ≤ 1.3× the hand-written SQL.
 */
import pg from "pg";
import { freshBenchDatabase, ms, summarize } from "./bench-db";

const MERCHANTS = Number(process.env.BENCH_MERCHANTS ?? 10_000);
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 500);
const TYPES = [
  "REST_CERTIFICATE",
  "REST_SHARED_SECRET",
  "REST_RESPONSE_MLE",
  "PGP",
  "SECURE_ACCEPTANCE",
  "SIMPLE_ORDER",
  "SOAP_TOOLKIT",
  "TOKEN_MANAGEMENT_MLE",
  "ISV_BRIDGE",
  "MPOS",
];
const IN_ALL = ["REST_CERTIFICATE", "REST_SHARED_SECRET", "SIMPLE_ORDER", "SOAP_TOOLKIT"];

/**
 * One portfolio (benchportfolio), 100 accounts, `merchants` MIDs (mid1…), `keys` keys (k000000001…;
 * key g belongs to mid 1 + g % merchants). The keys table's secondary indexes are dropped for the
 * insert and built again after it (the same definitions, read from pg_indexes): several times
 * faster at 10,000,000 rows than maintaining them row by row.
 */
export async function seedKeys(url: string, { keys = KEYS, merchants = MERCHANTS } = {}) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t0 = performance.now();
  await c.query(
    `INSERT INTO organizations (id, name, type, "portfolioId") VALUES ('benchportfolio', 'Bench', 'PORTFOLIO', NULL)`,
  );
  await c.query(`INSERT INTO organizations (id, name, type, "parentId", "portfolioId")
                 SELECT 'acct' || g || '_acct', 'Account ' || g, 'ACCOUNT', 'benchportfolio', 'benchportfolio'
                   FROM generate_series(1, 100) g`);
  await c.query(
    `INSERT INTO organizations (id, name, type, "parentId", "portfolioId", "accountId")
     SELECT 'mid' || g, 'Merchant ' || g, 'MERCHANT', 'acct' || (g % 100 + 1) || '_acct', 'benchportfolio', 'acct' || (g % 100 + 1) || '_acct'
       FROM generate_series(1, $1::int) g`,
    [merchants],
  );
  const indexes = await c.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'keys' AND indexname <> 'keys_pkey'`,
  );
  for (const ix of indexes.rows) await c.query(`DROP INDEX "${ix.indexname}"`);
  // Keys spread evenly over merchants, types, four years of creation dates, 10% deactivated, 2% deleted.
  await c.query(
    `INSERT INTO keys (id, type, environment, "orgId", name, "createdAt", "expiresAt", "deactivatedAt", "deletedAt", details)
     SELECT 'k' || lpad(g::text, 9, '0'),
            ($2::text[])[1 + (g * 7) % 10]::"KeyType",
            CASE WHEN g % 20 = 0 THEN 'PRODUCTION' ELSE 'TEST' END::"Environment",
            'mid' || (1 + g % $3::int),
            'key ' || g,
            c.created,
            c.created + interval '3 years',
            CASE WHEN g % 10 = 3 THEN c.created + interval '200 days' END,
            CASE WHEN g % 50 = 7 THEN c.created + interval '300 days' END,
            '{}'
       FROM generate_series(1, $1::int) g,
            LATERAL (SELECT now() - ((g::bigint * 7919) % 1460) * interval '1 day' - (g % 86400) * interval '1 second' AS created) c`,
    [keys, TYPES, merchants],
  );
  await c.query("SET maintenance_work_mem = '512MB'");
  for (const ix of indexes.rows) await c.query(ix.indexdef);
  await c.query("ANALYZE");
  const seconds = (performance.now() - t0) / 1000;
  await c.end();
  return seconds;
}

interface Scenario {
  name: string;
  filters: Record<string, unknown>;
  /** The hand-written SQL: a where-clause, its parameters, and the order. */
  where: string;
  params: (v: { org: string; now: Date; keyId: string; start: Date }) => unknown[];
  order: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: "default search (Expires In next 60 days, Key Type All, Expiring Soon)",
    filters: {},
    where: `"orgId" = $1 AND environment = 'TEST' AND "deletedAt" IS NULL AND "expiresAt" >= $2 AND "expiresAt" <= $2 + interval '60 days' AND type = ANY($3::"KeyType"[])`,
    params: (v) => [v.org, v.now, IN_ALL],
    order: `"expiresAt" ASC, id ASC`,
  },
  {
    name: "Merchant + Key Type (REST – Certificate, all dates)",
    filters: { type: "REST_CERTIFICATE", expiresIn: "all" },
    where: `"orgId" = $1 AND environment = 'TEST' AND "deletedAt" IS NULL AND type = 'REST_CERTIFICATE'`,
    params: (v) => [v.org],
    order: `"expiresAt" ASC, id ASC`,
  },
  {
    name: "Key ID",
    filters: { keyId: "__KEY__" },
    where: `"orgId" = $1 AND environment = 'TEST' AND "deletedAt" IS NULL AND id = $2 AND type = ANY($3::"KeyType"[])`,
    params: (v) => [v.org, v.keyId, IN_ALL],
    order: `"expiresAt" ASC, id ASC`,
  },
  {
    name: "Created At custom range (last 2 years) + Created Newest",
    filters: { createdAt: "custom", createdStart: "__START__", expiresIn: "all", sort: "created_newest" },
    where: `"orgId" = $1 AND environment = 'TEST' AND "deletedAt" IS NULL AND "createdAt" >= $2 AND type = ANY($3::"KeyType"[])`,
    params: (v) => [v.org, v.start, IN_ALL],
    order: `"createdAt" DESC, id DESC`,
  },
  {
    name: "Key Status Inactive (all dates)",
    filters: { status: "inactive", expiresIn: "all" },
    where: `"orgId" = $1 AND environment = 'TEST' AND "deletedAt" IS NULL AND ("deactivatedAt" IS NOT NULL OR "expiresAt" <= $2) AND type = ANY($3::"KeyType"[])`,
    params: (v) => [v.org, v.now, IN_ALL],
    order: `"expiresAt" ASC, id ASC`,
  },
];

export async function benchSearch() {
  const url = await freshBenchDatabase();
  console.log(`Seeding ${KEYS.toLocaleString()} keys across ${MERCHANTS.toLocaleString()} merchants…`);
  const seedSeconds = await seedKeys(url);
  console.log(`  seeded in ${seedSeconds.toFixed(1)} s`);
  process.env.DATABASE_URL = url;
  const { table } = await measureSearch(url, { keys: KEYS, merchants: MERCHANTS, target: { p95: 30, ratio: 1.3 } });
  const { prisma } = await import("@/lib/db");
  await prisma.$disconnect();
  return [
    `Key search: ${KEYS.toLocaleString()} keys, ${MERCHANTS.toLocaleString()} merchants, ${ITERATIONS} searches per row (count + page), seeded in ${seedSeconds.toFixed(0)} s.`,
    "",
    ...table,
  ].join("\n");
}

/**
 * KeyCenter's search (searchKeys) against the same two statements by hand, on the database at
 * `url` seeded by seedKeys (DATABASE_URL must already name it: lib/db.ts binds on first import).
 * Returns the Markdown table and the worst p95 and ratio.
 */
export async function measureSearch(
  url: string,
  {
    keys,
    merchants,
    iterations = ITERATIONS,
    target,
  }: { keys: number; merchants: number; iterations?: number; target: { p95: number; ratio: number } },
) {
  const { searchKeys, DEFAULT_FILTERS } = await import("@/lib/keys/search");
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const keysPerMerchant = Math.max(1, Math.floor(keys / merchants) - 1);
  const now = new Date();
  const start = new Date(now.getTime() - 730 * 86_400_000).toISOString().slice(0, 10);
  const rows: {
    scenario: string;
    perPage: number;
    kc: ReturnType<typeof summarize>;
    sql: ReturnType<typeof summarize>;
  }[] = [];
  for (const sc of SCENARIOS) {
    for (const perPage of [25, 100]) {
      const kcSamples: number[] = [];
      const sqlSamples: number[] = [];
      for (let i = 0; i < iterations + 20; i++) {
        const mid = 1 + ((i * 7907) % merchants);
        const org = `mid${mid}`;
        // An existing key of that merchant: key g belongs to mid 1 + g % merchants.
        const keyId = `k${String(mid - 1 + merchants * (1 + (i % keysPerMerchant))).padStart(9, "0")}`;
        const filters = JSON.parse(JSON.stringify(sc.filters).replace("__KEY__", keyId).replace("__START__", start));
        const used = sc.params({ org, now, keyId, start: new Date(`${start}T00:00:00Z`) });
        const keycenter = async () => {
          const t = performance.now();
          await searchKeys({
            orgId: org,
            environment: "TEST",
            filters: { ...DEFAULT_FILTERS, ...filters, perPage },
            now,
          });
          return performance.now() - t;
        };
        // The same two statements KeyCenter sends, also in parallel on two pooled connections.
        const handSql = async () => {
          const t = performance.now();
          await Promise.all([
            pool.query(`SELECT count(*) FROM keys WHERE ${sc.where}`, used),
            pool.query(
              `SELECT id, name, type, "orgId", environment, "createdAt", "expiresAt", "deactivatedAt", "deletedAt", "metaScope"
             FROM keys WHERE ${sc.where} ORDER BY ${sc.order} LIMIT ${perPage} OFFSET 0`,
              used,
            ),
          ]);
          return performance.now() - t;
        };
        // Both read the same merchant's rows: whichever runs second finds them in the buffer
        // cache, so the two take turns going first.
        let kcMs: number;
        let sqlMs: number;
        if (i % 2 === 0) {
          kcMs = await keycenter();
          sqlMs = await handSql();
        } else {
          sqlMs = await handSql();
          kcMs = await keycenter();
        }
        if (i >= 20) {
          kcSamples.push(kcMs);
          sqlSamples.push(sqlMs);
        }
      }
      rows.push({ scenario: sc.name, perPage, kc: summarize(kcSamples), sql: summarize(sqlSamples) });
    }
  }
  await pool.end();
  let worstP95 = 0;
  let worstRatio = 0;
  const table = [
    "| search | per page | KeyCenter p50 | KeyCenter p95 | hand SQL p50 | hand SQL p95 | p95 ratio | target |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const ratio = r.kc.p95 / r.sql.p95;
      worstP95 = Math.max(worstP95, r.kc.p95);
      worstRatio = Math.max(worstRatio, ratio);
      const okTarget = r.kc.p95 <= target.p95 && ratio <= target.ratio;
      return `| ${r.scenario} | ${r.perPage} | ${ms(r.kc.p50)} | ${ms(r.kc.p95)} | ${ms(r.sql.p50)} | ${ms(r.sql.p95)} | ${ratio.toFixed(2)}× | ${okTarget ? "met" : "NOT met"} |`;
    }),
  ];
  return { table, worstP95, worstRatio };
}
