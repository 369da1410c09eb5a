/**
 * The Key Management API's searchKeys at 1,000,000 keys, as served (issue 15): the search
 * bench's data (bench/search.ts: 1,000,000 keys over 10,000 MIDs of one portfolio), the app as
 * `npm start` runs it (bench/served.ts), requests signed with HTTP Signature as the official
 * SDK signs them (tests/helpers/kms.ts), each by one of CALLERS keys created with "Key
 * Management API" checked (a MID's own key, made by the portfolio's Administrator), so that
 * no key reaches its per-key limit (300 a minute). Server response time (request sent → whole
 * body read, one keep-alive connection, one request at a time) against a baseline in the same
 * run: a bare node:http server that checks the same HMAC and sends the same two statements
 * (count + page) by hand on pg. Target: served p95 ≤ 15 ms.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { Agent, createServer, type IncomingMessage, request, type Server } from "node:http";
import pg from "pg";
import { signedHeaders, type KmsCreds } from "../tests/helpers/kms";
import { freshBenchDatabase, ms, summarize } from "./bench-db";
import { seedKeys } from "./search";

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const MERCHANTS = Number(process.env.BENCH_MERCHANTS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? 400);
// Untimed requests per row first (BENCH_API_WARMUP; 0 measures a process that has just
// started): the first requests after a start are slower while V8 compiles the path.
const WARMUP = Number(process.env.BENCH_API_WARMUP ?? 40);
const CALLERS = 20;
const TARGET_P95 = 15;

interface Scenario {
  name: string;
  /** The query for a caller of `mid`, whose existing key is `keyId`. */
  query(mid: string, keyId: string): Record<string, string>;
}

const day = 86_400_000;
const SCENARIOS: Scenario[] = [
  { name: "organizationIds (the MID's ~100 keys), newest first, limit 20", query: (mid) => ({ organizationIds: mid }) },
  {
    name: "organizationIds + keyTypes certificate + expiration window, limit 100",
    query: (mid) => ({
      organizationIds: mid,
      keyTypes: "certificate",
      expirationStartDate: new Date(Date.now() + 30 * day).toISOString(),
      expirationEndDate: new Date(Date.now() + 800 * day).toISOString(),
      limit: "100",
    }),
  },
  {
    name: "organizationIds, sort expirationDate:asc, offset 40",
    query: (mid) => ({ organizationIds: mid, sort: "expirationDate:asc", offset: "40", limit: "20" }),
  },
  { name: "keyIds (one key)", query: (mid, keyId) => ({ organizationIds: mid, keyIds: keyId }) },
];

const KMS_TYPES: Record<string, string[]> = {
  certificate: ["REST_CERTIFICATE", "SIMPLE_ORDER", "REST_RESPONSE_MLE"],
};

interface Caller extends KmsCreds {
  /** An existing key of the caller's MID (bench/search.ts: key g belongs to mid 1 + g % merchants). */
  someKey: string;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
}

/** One signed GET on the keep-alive `agent`: its status, body length and time. */
function get(agent: Agent, port: number, caller: Caller, path: string): Promise<{ status: number; ms: number }> {
  const headers = signedHeaders(caller, "GET", path, Buffer.alloc(0));
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", headers, agent }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** REQUESTS timed searches of `scenario` (after WARMUP untimed), the callers taking turns. */
async function measure(port: number, callers: Caller[], scenario: Scenario) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  let refused = 0;
  try {
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const caller = callers[i % callers.length]!;
      const path = `/kms/v2/keys?${new URLSearchParams(scenario.query(caller.merchantId, caller.someKey))}`;
      const r = await get(agent, port, caller, path);
      if (r.status !== 200) refused++;
      if (i >= WARMUP) samples.push(r.ms);
    }
  } finally {
    agent.destroy();
  }
  return { ...summarize(samples), refused };
}

/** The baseline: the HMAC check over the SDK's signed string, then count + page by hand on pg. */
function baselineServer(pool: pg.Pool, secrets: Map<string, Buffer>): Server {
  return createServer((req: IncomingMessage, res) => {
    void (async () => {
      const h = (n: string) => String(req.headers[n] ?? "");
      const keyId = /keyid="([^"]+)"/.exec(h("signature"))?.[1] ?? "";
      const given = Buffer.from(/signature="([^"]+)"/.exec(h("signature"))?.[1] ?? "", "base64");
      const signed = `host: ${h("host")}\ndate: ${h("date")}\nrequest-target: get ${req.url}\nv-c-merchant-id: ${h("v-c-merchant-id")}`;
      const expected = createHmac("sha256", secrets.get(keyId) ?? Buffer.alloc(32))
        .update(signed)
        .digest();
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401);
        return res.end();
      }
      const q = new URL(req.url ?? "/", "http://x").searchParams;
      const values: unknown[] = [q.get("organizationIds")];
      let where = `"orgId" = $1 AND environment = 'TEST' AND "deletedAt" IS NULL`;
      if (q.get("keyIds")) where += ` AND id = $${values.push(q.get("keyIds"))}`;
      if (q.get("keyTypes")) where += ` AND type = ANY($${values.push(KMS_TYPES[q.get("keyTypes")!])}::"KeyType"[])`;
      if (q.get("expirationStartDate")) where += ` AND "expiresAt" >= $${values.push(q.get("expirationStartDate"))}`;
      if (q.get("expirationEndDate")) where += ` AND "expiresAt" <= $${values.push(q.get("expirationEndDate"))}`;
      const order = q.get("sort") === "expirationDate:asc" ? `"expiresAt" ASC, id ASC` : `"createdAt" DESC, id DESC`;
      const limit = Number(q.get("limit") ?? 20);
      const offset = Number(q.get("offset") ?? 0);
      const [count, page] = await Promise.all([
        pool.query(`SELECT count(*)::int AS total FROM keys WHERE ${where}`, values),
        pool.query(
          `SELECT id, type, "orgId", "createdAt", "expiresAt", "deactivatedAt", "createdById", details
             FROM keys WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
          values,
        ),
      ]);
      const body = JSON.stringify({
        totalCount: count.rows[0].total,
        offset,
        limit,
        count: page.rowCount,
        keys: page.rows,
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
}

export async function benchApi(): Promise<string> {
  const url = await freshBenchDatabase("keycenter_bench_api");
  console.log(`Seeding ${KEYS.toLocaleString()} keys across ${MERCHANTS.toLocaleString()} merchants…`);
  const seedSeconds = await seedKeys(url, { keys: KEYS, merchants: MERCHANTS });
  console.log(`  seeded in ${seedSeconds.toFixed(1)} s`);
  process.env.DATABASE_URL = url;
  process.env.KEYCENTER_MASTER_KEY ??= randomBytes(32).toString("base64");
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64");

  // The portfolio's Administrator, who creates each MID's key with Key Management API checked.
  const { scriptClient } = await import("../scripts/db");
  const { createAdministrator } = await import("@/lib/auth/first-run");
  const db = scriptClient(url);
  const email = "admin.benchportfolio@keycenter.test";
  await createAdministrator(
    {
      orgId: "benchportfolio",
      orgName: "Bench",
      orgType: "portfolio",
      name: "Bench Admin",
      email,
      password: "Bench-password-0001",
    },
    { firstOnly: false, via: "admin:create", db },
  );
  const admin = await db.user.findUniqueOrThrow({ where: { email } });
  await db.$disconnect();
  const { prisma } = await import("@/lib/db");
  const { createKey } = await import("@/lib/keys/create");
  const callers: Caller[] = [];
  for (let i = 0; i < CALLERS; i++) {
    const m = 1 + Math.floor((i * MERCHANTS) / CALLERS);
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: `mid${m}` } });
    const r = (await createKey("REST_SHARED_SECRET", {
      ctx: {
        actor: { actorId: admin.id, actorEmail: email },
        org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId },
        environment: "TEST",
      },
      kmsApi: true,
    })) as { key: { id: string }; secret: string };
    callers.push({
      keyId: r.key.id,
      secret: r.secret,
      merchantId: org.id,
      someKey: `k${String(m - 1 + MERCHANTS).padStart(9, "0")}`,
    });
  }
  const secrets = new Map(callers.map((c) => [c.keyId, Buffer.from(c.secret, "base64")]));

  const { startServedApp } = await import("./served");
  const app = await startServedApp({
    DATABASE_URL: url,
    KEYCENTER_MASTER_KEY: process.env.KEYCENTER_MASTER_KEY,
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET,
  });
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const baseline = baselineServer(pool, secrets);
  const baselinePort = await listen(baseline);
  const rows: string[] = [];
  let worst = 0;
  let refusedTotal = 0;
  try {
    for (const [i, sc] of SCENARIOS.entries()) {
      // Served and baseline take turns going first, so that neither always meets a warm cache.
      const first = await measure(i % 2 ? baselinePort : app.port, callers, sc);
      const second = await measure(i % 2 ? app.port : baselinePort, callers, sc);
      const [served, base] = i % 2 ? [second, first] : [first, second];
      worst = Math.max(worst, served.p95);
      refusedTotal += served.refused + base.refused;
      rows.push(
        `| ${sc.name} | ${ms(served.p50)} | ${ms(served.p95)} | ${ms(base.p50)} | ${ms(base.p95)} | ${(served.p95 / base.p95).toFixed(2)}× | ${served.refused + base.refused} | ${served.p95 <= TARGET_P95 ? "met" : "NOT met"} |`,
      );
    }
  } finally {
    await app.stop();
    await new Promise((resolve) => baseline.close(resolve));
    await pool.end();
    await prisma.$disconnect();
  }
  return [
    `searchKeys through the served app (\`npm start\`), ${KEYS.toLocaleString()} keys over ${MERCHANTS.toLocaleString()} MIDs (seeded in ${seedSeconds.toFixed(0)} s), ${REQUESTS} signed requests per row after ${WARMUP} untimed, ${CALLERS} keys taking turns, one keep-alive connection; baseline: bare node:http + the same HMAC + count and page by hand on pg.`,
    "",
    "| search | served p50 | served p95 | baseline p50 | baseline p95 | p95 ratio | non-200 | target p95 ≤ 15 ms |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    `- Worst served p95: ${ms(worst)} (target ≤ ${TARGET_P95} ms) ${worst <= TARGET_P95 ? "✅" : "❌"}; non-200 answers: ${refusedTotal} ${refusedTotal === 0 ? "✅" : "❌"}`,
  ].join("\n");
}
