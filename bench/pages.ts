/**
 * The portal's pages at scale, as served (issue 13): 1,000,000 keys across 10,000 merchants
 * (the search bench's data, bench/search.ts), 1,000,000 gateway transactions and 1,000,000
 * audit records, in a scratch database; the app as `npm start` runs it (bench/served.ts);
 * a portfolio Administrator signed in. Server response time (request sent → whole body read,
 * on loopback) of Dashboard, Key Management (default search and two filtered ones), Key
 * Information, Transactions and Audit: p50/p95 for one user, and p95 with 10 users at once.
 * Targets: p95 ≤ 100 ms for one user, ≤ 250 ms with 10 users. Also Key Management's
 * first-load JavaScript, gzipped, from the build.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { freshBenchDatabase, summarize } from "./bench-db";
import { seedKeys } from "./search";

const ROWS = Number(process.env.BENCH_PAGE_ROWS ?? 1_000_000);
const MERCHANTS = Number(process.env.BENCH_MERCHANTS ?? 10_000);
/** bench/search.ts seedKeys's key count (BENCH_KEYS): a key and a merchant that exist at any size. */
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const SOME_KEY = `k${String(Math.min(424_242, KEYS)).padStart(9, "0")}`;
const SOME_MID = `mid${Math.min(4242, MERCHANTS)}`;
const ONE_USER = Number(process.env.BENCH_PAGES_SAMPLES ?? 40);
const USERS = Number(process.env.BENCH_PAGES_USERS ?? 10);
const PER_USER = Number(process.env.BENCH_PAGES_PER_USER ?? 8);
const TARGET = { one: 100, ten: 250, js: 200 };
const PASSWORD = "Bench-password-0001";

/** `rows` gateway transactions and audit records spread over mid1…mid<merchants>, and every org's settings row. */
export async function seedActivity(url: string, { rows = ROWS, merchants = MERCHANTS } = {}): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t0 = performance.now();
  await c.query(
    `INSERT INTO gateway_transactions (id, at, environment, "merchantId", "keyId", "authType", applications,
                                       "httpStatus", status, reason, amount, currency)
     SELECT lpad(g::text, 22, '0'), now() - (g % 525600) * interval '1 minute', 'TEST', 'mid' || (1 + g % $2::int),
            'k' || lpad((1 + g % 1000000)::text, 9, '0'), 'http_signature', ARRAY['authorization'],
            CASE WHEN g % 10 = 0 THEN 401 ELSE 201 END, CASE WHEN g % 10 = 0 THEN 'AUTHENTICATION_FAILED' ELSE 'AUTHORIZED' END,
            CASE WHEN g % 10 = 0 THEN 'signature does not match' END, '10.00', 'USD'
       FROM generate_series(1, $1::int) g`,
    [rows, merchants],
  );
  await c.query(
    `INSERT INTO audit_events (at, "actorId", "actorEmail", "orgId", action, "targetType", "targetId", result, details, "prevHash", hash)
     SELECT now() - (g % 525600) * interval '1 minute', 'bench', 'bench@keycenter.test', 'mid' || (1 + g % $2::int),
            'key.create', 'key', 'k' || lpad((1 + g % 1000000)::text, 9, '0'), 'success', '{}',
            md5((g - 1)::text), md5(g::text)
       FROM generate_series(1, $1::int) g`,
    [rows, merchants],
  );
  // Every org has its settings row, as orgs created through the app do.
  await c.query(`INSERT INTO org_settings ("orgId", "updatedAt") SELECT id, now() FROM organizations ON CONFLICT DO NOTHING`);
  await c.query("ANALYZE");
  await c.end();
  return (performance.now() - t0) / 1000;
}

/** Key Management's first-load JavaScript, gzipped: the scripts its HTML loads (a browser that runs modules), from the build. */
function firstLoadJs(html: string, dist: string): { kB: number; files: number } {
  // Scripts marked noModule (Next's polyfills) are skipped by every browser that runs modules.
  const srcs = [...html.matchAll(/<script([^>]+)src="([^"]+\.js)"([^>]*)>/g)]
    .filter((m) => !/nomodule/i.test(m[1]! + m[3]!))
    .map((m) => m[2]!);
  let bytes = 0;
  let files = 0;
  for (const src of new Set(srcs)) {
    const file = path.join(dist, src.replace(/^\/_next\//, "").split("?")[0]!);
    if (!existsSync(file)) continue;
    bytes += gzipSync(readFileSync(file)).length;
    files++;
  }
  return { kB: bytes / 1000, files };
}

/**
 * The served app (`npm start`, bench/served.ts) on the database at `url`, with an Administrator
 * of `orgId` (a portfolio) signed in: `time(path)` fetches a page as that user (server response
 * time: request sent → whole body read) and throws unless it answered 200.
 */
export async function servedPortal(url: string, orgId: string) {
  process.env.DATABASE_URL = url;
  // The session cookie named as the served app names it (plain http on loopback: bench/served.ts).
  process.env.BETTER_AUTH_URL = "http://127.0.0.1";
  process.env.KEYCENTER_MASTER_KEY ??= randomBytes(32).toString("base64");
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64");
  const { scriptClient } = await import("../scripts/db");
  const { createAdministrator } = await import("@/lib/auth/first-run");
  const db = scriptClient(url);
  const email = `admin.${orgId}@keycenter.test`;
  if (!(await db.user.findUnique({ where: { email } }))) {
    await createAdministrator(
      { orgId, orgName: "Bench", orgType: "portfolio", name: "Bench Admin", email, password: PASSWORD },
      { firstOnly: false, via: "admin:create", db },
    );
  }
  await db.$disconnect();

  const { startServedApp } = await import("./served");
  const app = await startServedApp({
    DATABASE_URL: url,
    KEYCENTER_MASTER_KEY: process.env.KEYCENTER_MASTER_KEY,
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET,
  });
  const base = `http://127.0.0.1:${app.port}`;
  try {
    const { signInWithPassword } = await import("@/lib/auth/sign-in");
    const outcome = await signInWithPassword({ email, password: PASSWORD, headers: new Headers(), actor: {} });
    if (!outcome.ok || outcome.secondFactor) throw new Error(`sign-in failed: ${JSON.stringify(outcome)}`);
    const cookie = outcome.setCookie
      .split(/,(?=\s*[\w.-]+=)/)
      .map((c) => c.split(";")[0]!.trim())
      .join("; ");
    const time = async (p: string) => {
      const t0 = performance.now();
      const res = await fetch(base + p, { headers: { cookie }, redirect: "manual" });
      const body = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${p}: HTTP ${res.status} ${res.headers.get("location") ?? ""}`);
      return { ms, body };
    };
    /** Time to the first byte of the body and to its end, of a streamed response (an export). */
    const stream = async (p: string) => {
      const t0 = performance.now();
      const res = await fetch(base + p, { headers: { cookie }, redirect: "manual" });
      if (res.status !== 200 || !res.body) throw new Error(`${p}: HTTP ${res.status}`);
      let first = NaN;
      let bytes = 0;
      let lines = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        if (Number.isNaN(first)) first = performance.now() - t0;
        bytes += chunk.length;
        for (const b of chunk) if (b === 10) lines++;
      }
      return { firstByteMs: first, totalMs: performance.now() - t0, bytes, lines };
    };
    return { app, base, cookie, time, stream };
  } catch (e) {
    await app.stop();
    throw e;
  }
}

export async function benchPages(): Promise<string> {
  const url = await freshBenchDatabase("keycenter_bench_pages");
  console.log(`Seeding ${ROWS.toLocaleString()} keys, transactions and audit records…`);
  const keySeconds = await seedKeys(url);
  const activitySeconds = await seedActivity(url);
  console.log(`  seeded in ${(keySeconds + activitySeconds).toFixed(0)} s`);

  const portal = await servedPortal(url, "benchportfolio");
  const { app } = portal;
  try {
    const pages: [string, string][] = [
      ["Dashboard", "/dashboard"],
      ["Key Management, default search", "/keys"],
      ["Key Management, Merchant + Key Type (all dates)", `/keys?merchant=${SOME_MID}&type=REST_CERTIFICATE&expiresIn=all`],
      ["Key Management, Key Status Inactive (all dates), 100 per page", "/keys?status=inactive&expiresIn=all&perPage=100"],
      ["Key Information", `/keys/${SOME_KEY}`],
      ["Transactions", "/transactions"],
      ["Audit", "/audit"],
    ];
    const { time } = portal;

    const rows: string[] = [];
    let keysHtml = "";
    let worstOne = 0;
    let worstTen = 0;
    for (const [name, p] of pages) {
      for (let i = 0; i < 3; i++) {
        const { body } = await time(p);
        if (p === "/keys") keysHtml = body;
      }
      const one: number[] = [];
      for (let i = 0; i < ONE_USER; i++) one.push((await time(p)).ms);
      const ten: number[] = [];
      await Promise.all(
        Array.from({ length: USERS }, async () => {
          for (let i = 0; i < PER_USER; i++) ten.push((await time(p)).ms);
        }),
      );
      const a = summarize(one);
      const b = summarize(ten);
      worstOne = Math.max(worstOne, a.p95);
      worstTen = Math.max(worstTen, b.p95);
      rows.push(
        `| ${name} | \`${p}\` | ${a.p50.toFixed(0)} ms | ${a.p95.toFixed(0)} ms | ${b.p50.toFixed(0)} ms | ${b.p95.toFixed(0)} ms |`,
      );
    }
    const js = firstLoadJs(keysHtml, process.env.KEYCENTER_DIST_DIR ?? ".next");
    const pass = (ok: boolean) => (ok ? "✅" : "❌");
    return [
      `${ROWS.toLocaleString()} keys across ${MERCHANTS.toLocaleString()} merchants, ${ROWS.toLocaleString()} transactions, ${ROWS.toLocaleString()} audit records (seeded in ${(keySeconds + activitySeconds).toFixed(0)} s); signed in as a portfolio Administrator; the served app (\`npm start\`), loopback. One user: ${ONE_USER} requests per page after 3 unmeasured; ${USERS} users: ${USERS} × ${PER_USER} requests at once.`,
      "",
      "| Page | URL | 1 user p50 | 1 user p95 | 10 users p50 | 10 users p95 |",
      "|---|---|---:|---:|---:|---:|",
      ...rows,
      "",
      `- Worst p95, one user: ${worstOne.toFixed(0)} ms (target ≤ ${TARGET.one} ms) ${pass(worstOne <= TARGET.one)}`,
      `- Worst p95, ${USERS} users: ${worstTen.toFixed(0)} ms (target ≤ ${TARGET.ten} ms) ${pass(worstTen <= TARGET.ten)}`,
      `- Key Management first-load JavaScript: ${js.kB.toFixed(1)} kB gzipped in ${js.files} files (target ≤ ${TARGET.js} kB) ${pass(js.kB <= TARGET.js)}`,
    ].join("\n");
  } finally {
    await app.stop();
  }
}
