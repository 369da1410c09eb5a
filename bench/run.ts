/**
 * `npm run bench`: every benchmark, each printing a Markdown section. Copy the output into
 * BENCHMARKS.md with the machine it ran on. Needs a real PostgreSQL (BENCH_DATABASE_URL or
 * DATABASE_URL); each benchmark uses its own scratch database.
 *   npm run bench -- search      # only the named ones
 */
import os from "node:os";

const all: Record<string, () => Promise<string>> = {
  search: async () => (await import("./search")).benchSearch(),
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
