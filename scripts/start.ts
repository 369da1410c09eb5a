/**
 * `npm start`: the launcher. With DATABASE_URL unset it starts the embedded database
 * (PGlite over the wire protocol, data in .data/), applies migrations, seeds demo data into
 * an empty embedded database (into a real one only with KEYCENTER_SEED=1: an empty real one
 * waits for the first-run set-up, /setup or `npm run admin:create`), builds the app when no
 * build exists, and runs the server (scripts/server.ts: Next.js behind lib/http/server.ts, which
 * answers the gateway's machine endpoints directly) with a DATABASE_URL either way. `--dev`
 * runs it on `next dev`.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { checkMasterKey } from "@/lib/crypto/master-key-check";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db-admin/embedded";
import { migrate } from "@/lib/db-admin/migrate";
import { parseTrustedProxies } from "@/lib/http/client-ip";
import { DEMO_PASSWORD, DEMO_USERS, demoSeedWanted, ensureBuiltInRoles, seedDemo } from "@/prisma/seed";
import { scriptClient } from "./db";

const dev = process.argv.includes("--dev");
if (existsSync(".env")) process.loadEnvFile(".env");
const dataDir = path.resolve(process.env.KEYCENTER_DATA_DIR ?? ".data");
const explicitProduction = process.env.NODE_ENV === "production";

/** A secret from the environment, or (outside production) one generated once into .data/. */
function secret(name: string): string {
  const existing = process.env[name];
  if (existing) return existing;
  if (explicitProduction) {
    console.error(`${name} is not set. Production refuses to start without it (see .env.example).`);
    process.exit(1);
  }
  const file = path.join(dataDir, name.toLowerCase());
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
    console.log(
      `Generated ${name} into ${path.relative(process.cwd(), file)} (set it in the environment for production).`,
    );
  }
  return readFileSync(file, "utf8").trim();
}

async function main() {
  try {
    parseTrustedProxies(process.env.KEYCENTER_TRUSTED_PROXIES);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  process.env.KEYCENTER_MASTER_KEY = secret("KEYCENTER_MASTER_KEY");
  process.env.BETTER_AUTH_SECRET = secret("BETTER_AUTH_SECRET");
  process.env.BETTER_AUTH_URL ??= `http://localhost:${process.env.PORT ?? "3000"}`;

  let embedded: EmbeddedDatabase | null = null;
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedDatabase({
      dataDir: path.join(dataDir, "pglite"),
      port: process.env.KEYCENTER_EMBEDDED_DB_PORT ? Number(process.env.KEYCENTER_EMBEDDED_DB_PORT) : undefined,
    });
    process.env.DATABASE_URL = embedded.url;
    // PGlite runs one query at a time and its socket server can interleave the extended-query
    // messages of concurrent connections: the app keeps to one connection in embedded mode.
    process.env.KEYCENTER_DB_POOL_SIZE ??= "1";
    process.env.KEYCENTER_EMBEDDED_DB = "1";
    console.log(
      `Embedded database (PGlite) at ${embedded.url}, data in ${path.relative(process.cwd(), dataDir)}/pglite`,
    );
  }
  const url = process.env.DATABASE_URL!;

  const applied = await migrate(url);
  console.log(
    applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database schema is up to date.",
  );

  // Demo data (published password) only into the embedded database, or with KEYCENTER_SEED=1.
  const db = scriptClient(url);
  // A wrong master key (a backup restored with another installation's) stops here, before anything is opened or written.
  const masterKey = await checkMasterKey(db);
  if (!masterKey.ok) {
    console.error(masterKey.message);
    await db.$disconnect();
    await embedded?.stop().catch(() => {});
    process.exit(1);
  }
  await ensureBuiltInRoles(db);
  if (demoSeedWanted({ embedded: embedded !== null })) {
    const seeded = await seedDemo(db);
    if (seeded || embedded) {
      console.log(`Demo users (password ${DEMO_PASSWORD}):\n${DEMO_USERS.map((u) => `  ${u.email}`).join("\n")}`);
    }
  }
  if (!(await db.user.findFirst({ select: { id: true } }))) {
    console.log(
      `No user yet: open ${process.env.BETTER_AUTH_URL}/setup to create the top organization and its first ` +
        "Administrator, or run `npm run admin:create -- --email <email> --org <org ID>`.",
    );
  }
  await db.$disconnect();

  const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
  if (!dev && !existsSync(path.join(process.env.KEYCENTER_DIST_DIR ?? ".next", "BUILD_ID"))) {
    console.log("No build found: running `next build` once (a minute or two)...");
    const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: process.env });
    if (build.status !== 0) throw new Error("next build failed");
  }
  // The server process: Next.js behind lib/http/server.ts (the gateway's machine endpoints
  // answered directly, every request's direct peer stamped for lib/http/client-ip.ts).
  const serverEntry = path.resolve(import.meta.dirname, "server.ts");
  const args = ["--import", "tsx", serverEntry, ...(dev ? ["--dev"] : [])];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: dev ? "development" : "production" };
  const child = spawn(process.execPath, args, { stdio: "inherit", env: childEnv });

  // SIGTERM/SIGINT are passed on to the server, which shuts down gracefully (lib/http/server.ts:
  // in-flight requests finished, job claims written back, pools closed); the launcher exits
  // with it, after the embedded database (if any) is stopped.
  const childExited = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  let stopping = false;
  const stop = async (signal: NodeJS.Signals | null) => {
    if (stopping) return;
    stopping = true;
    if (signal && child.exitCode === null && child.signalCode === null) child.kill(signal);
    const code = await childExited;
    await embedded?.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  child.on("exit", () => void stop(null));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
