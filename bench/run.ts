/**
 * `npm run bench`: every benchmark, each printing a Markdown section. Copy the output into
 * BENCHMARKS.md with the machine it ran on. Needs a real PostgreSQL (BENCH_DATABASE_URL or
 * DATABASE_URL); each benchmark uses its own scratch database.
 *   npm run bench -- search      # only the named ones
 */
import os from "node:os";

const all: Record<string, () => Promise<string>> = {
  search: async () => (await import("./search")).benchSearch(),
  meta: async () => (await import("./meta")).benchMeta(),
  gateway: async () => (await import("./gateway")).benchGateway(),
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
const names = chosen.length ? chosen : Object.keys(all);
process.env.KEYCENTER_LOG ??= "silent";
console.log(`# Benchmarks — ${new Date().toISOString()}`);
console.log(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
for (const name of names) {
  console.log(`## ${name}\n`);
  console.log(await all[name]!());
  console.log("");
}
process.exit(0);
