/**
 * The server Playwright starts: a fresh build on a fresh database, then `npm start`'s
 * launcher. With DATABASE_URL (or E2E_DATABASE_URL) set, the database `keycenter_e2e_<port>`
 * on that server is dropped and created again; otherwise a fresh embedded one under
 * .data/e2e-<port>. KEYCENTER_DIST_DIR picks another build directory (default .next).
 */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const env: NodeJS.ProcessEnv = { ...process.env, KEYCENTER_LOG: process.env.KEYCENTER_LOG ?? "info" };
// The expiry-alert runner stays off: flows trigger it with "Check now" (Notifications page).
env.KEYCENTER_ALERTS ??= "0";
// `next start` runs with NODE_ENV=production, which refuses webhooks to this machine; the
// notifications flow posts to a local receiver.
env.KEYCENTER_ALLOW_LOCAL_WEBHOOKS ??= "1";
// The flows sign in as the demo users: a real database gets the demo data only when asked.
env.KEYCENTER_SEED ??= "1";
const server = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
const dbName = `keycenter_e2e_${process.env.PORT ?? "3100"}`;
if (server) {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${dbName}`;
  env.DATABASE_URL = u.toString();
  env.KEYCENTER_DATA_DIR = path.resolve(".data", "e2e-secrets");
} else {
  const dir = path.resolve(".data", `e2e-${process.env.PORT ?? "3100"}`);
  rmSync(dir, { recursive: true, force: true });
  delete env.DATABASE_URL;
  env.KEYCENTER_DATA_DIR = dir;
}

if (!process.env.E2E_SKIP_BUILD) {
  const build = spawnSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// The server's log also goes to a file, so tests can check that no secret ever reaches it.
const logFile = path.resolve(".data", `e2e-${process.env.PORT ?? "3100"}.log`);
mkdirSync(path.dirname(logFile), { recursive: true });
const log = createWriteStream(logFile);
const child = spawn("npx", ["tsx", "scripts/start.ts"], { stdio: ["ignore", "pipe", "pipe"], env });
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    log.write(chunk);
  });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
