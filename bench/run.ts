/**
 * `npm run bench`: every benchmark, each printing a Markdown section. Copy the output into
 * BENCHMARKS.md with the machine it ran on. Needs a real PostgreSQL (BENCH_DATABASE_URL or
 * DATABASE_URL); each benchmark uses its own scratch database.
 *   npm run bench -- search      # only the named ones
 *   npm run bench -- gateway     # the served app (npm start) against a bare node:http baseline
 *   npm run bench -- pages       # the portal's pages at 1,000,000 keys, as served
 *   npm run bench -- soak        # the served gateway at half its capacity (SOAK_MINUTES, default 10)
 *   npm run bench -- scale       # a portfolio of 1,000,000 MIDs and 10,000,000 keys (fixture kept between runs)
 *   npm run bench -- api         # the Key Management API's searchKeys at 1,000,000 keys, as served
 * Each benchmark runs in its own process (several named: one after the other).
 */
import { spawnSync } from "node:child_process";
import os from "node:os";

const all: Record<string, () => Promise<string>> = {
  search: async () => (await import("./search")).benchSearch(),
  meta: async () => (await import("./meta")).benchMeta(),
  gateway: async () => (await import("./gateway")).benchGateway(),
  pages: async () => (await import("./pages")).benchPages(),
  soak: async () => (await import("./soak")).benchSoak(),
  scale: async () => (await import("./scale")).benchScale(),
  api: async () => (await import("./api")).benchApi(),
  issuance: async () => {
    // A scratch database with the demo orgs; lib/db.ts reads DATABASE_URL when first imported.
    const { freshBenchDatabase } = await import("./bench-db");
    const url = await freshBenchDatabase("keycenter_bench_issuance");
    const { scriptClient } = await import("../scripts/db");
    const { seedDemo } = await import("../prisma/seed");
    const db = scriptClient(url);
    await seedDemo(db);
    await db.$disconnect();
    process.env.DATABASE_URL = url;
    // A throw-away master key: the scratch CA is sealed with it and dropped with the database.
    process.env.KEYCENTER_MASTER_KEY ??= (await import("node:crypto")).randomBytes(32).toString("base64");
    const { benchIssuance, issuanceMarkdown } = await import("./issuance");
    return issuanceMarkdown(await benchIssuance({ runs: 50 }));
  },
};

const chosen = process.argv.slice(2).filter((a) => a in all);
process.env.KEYCENTER_LOG ??= "silent";

if (chosen.length !== 1) {
  // Each benchmark in its own process: lib/db.ts binds its client to the DATABASE_URL it first
  // sees, so a second benchmark in the same process would query the first one's scratch
  // database (meta after search stopped on P2025: no organization "bigportfolio").
  const names = chosen.length ? chosen : Object.keys(all);
  console.log(`# Benchmarks — ${new Date().toISOString()}`);
  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
  );
  let failed = 0;
  for (const name of names) {
    const r = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, name, "--section"], {
      stdio: "inherit",
      env: process.env,
    });
    if (r.status !== 0) {
      failed++;
      console.log(`\n(${name} failed: exit ${r.status ?? r.signal})\n`);
    }
  }
  process.exit(failed ? 1 : 0);
}

const name = chosen[0]!;
if (!process.argv.includes("--section")) {
  console.log(`# Benchmarks — ${new Date().toISOString()}`);
  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
  );
}
console.log(`## ${name}\n`);
console.log(`Load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}\n`);
console.log(await all[name]!());
console.log(`\nLoad average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}\n`);
process.exit(0);
