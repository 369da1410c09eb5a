/**
 * Prints the SQL that takes the database from one schema to another, offline.
 *   npm run db:migration-sql                 # from the committed schema (HEAD) to the working one
 *   npm run db:migration-sql -- --from-empty # the whole schema from nothing
 * Put the output in prisma/migrations/<yyyymmddhhmmss>_<name>/migration.sql and read it.
 *
 * Why Prisma 6.19.3: the Prisma 7 CLI wants a native schema engine that it downloads and
 * cannot here; Prisma 6.19.3 given a driver-adapter config runs its WebAssembly schema
 * engine instead. It wants a live connection, though it changes nothing: DATABASE_URL, or
 * an in-memory embedded database started for the occasion.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedDatabase } from "@/lib/db-admin/embedded";

const root = process.cwd();
const work = process.env.KEYCENTER_MIGRATE_TOOL_DIR ?? path.join(tmpdir(), "keycenter-migration-sql");
mkdirSync(work, { recursive: true });
if (!existsSync(path.join(work, "node_modules", ".bin", "prisma"))) {
  writeFileSync(path.join(work, "package.json"), '{"private":true}');
  execFileSync(
    "npm",
    ["install", "--silent", "--no-audit", "--no-fund", "prisma@6.19.3", "@prisma/adapter-pg@6.19.3"],
    {
      cwd: work,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
}

// Prisma 6 reads the classic generator; only the datamodel matters for the diff.
const toV6 = (schema: string) =>
  schema
    .replace('"prisma-client"', '"prisma-client-js"')
    .replace(/^\s*(output|moduleFormat)\s*=.*$/gm, "")
    .replace(/provider = "postgresql"\n/, 'provider = "postgresql"\n  url = env("DATABASE_URL")\n');

writeFileSync(path.join(work, "to.prisma"), toV6(readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8")));
const fromEmpty = process.argv.includes("--from-empty");
if (!fromEmpty) {
  const head = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: root, encoding: "utf8" });
  writeFileSync(path.join(work, "from.prisma"), toV6(head));
}
writeFileSync(
  path.join(work, "prisma.config.ts"),
  `import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "to.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
} as never);
`,
);

/** Runs a command without blocking this process, which may be serving the embedded database. */
function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const embedded = process.env.DATABASE_URL ? null : await startEmbeddedDatabase({});
try {
  const r = await run(
    path.join(work, "node_modules", ".bin", "prisma"),
    [
      "migrate",
      "diff",
      ...(fromEmpty ? ["--from-empty"] : ["--from-schema-datamodel", "from.prisma"]),
      "--to-schema-datamodel",
      "to.prisma",
      "--script",
    ],
    {
      cwd: work,
      env: {
        ...process.env,
        DATABASE_URL: process.env.DATABASE_URL ?? embedded!.url,
        PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
        PRISMA_QUERY_ENGINE_LIBRARY: "/bin/true",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
    },
  );
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exitCode = 1;
  } else {
    process.stdout.write(r.stdout.replace(/^\s*-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, ""));
  }
} finally {
  await embedded?.stop();
}
