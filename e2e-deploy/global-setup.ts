import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import path from "node:path";
import pg from "pg";
import { caddyRoot, databaseName, DEPLOY, HTTPS_URL, PLAIN_URL } from "./environment";

/**
 * Starts the deployed test environment (environment.ts) the way README's "Deploying a test
 * environment" runs it, and returns the teardown that stops all of it:
 * - builds once into KEYCENTER_DIST_DIR (.next-deploy) when it has no build (DEPLOY_BUILD=1: always);
 * - a fresh database per instance (`keycenter_deploy_<port>` on DATABASE_URL's server, demo data);
 * - `npm start` twice, NODE_ENV=production with generated secrets: one on 127.0.0.1:3300 with
 *   BETTER_AUTH_URL=https://keycenter.test:8443 and KEYCENTER_TRUSTED_PROXIES=127.0.0.1,::1,
 *   one on 127.0.0.1:3301 with BETTER_AUTH_URL=http://keycenter-http.test:3301;
 * - Caddy (Debian's package) with `tls internal` on 8443 in front of the first.
 */

interface Started {
  name: string;
  child: ChildProcess;
  log: string;
}

const started: Started[] = [];

export default async function globalSetup(): Promise<() => Promise<void>> {
  try {
    await setUp();
  } catch (e) {
    await stopAll();
    throw e;
  }
  return stopAll;
}

async function setUp() {
  const caddy = spawnSync("caddy", ["version"], { encoding: "utf8" });
  if (caddy.status !== 0) throw new Error("Caddy is not installed: apt-get install -y caddy");
  const server = process.env.DATABASE_URL;
  if (!server)
    throw new Error("DATABASE_URL (a PostgreSQL server) is required: the environment gets its own databases");
  for (const port of [DEPLOY.proxiedPort, DEPLOY.plainPort, DEPLOY.tlsPort]) {
    if (await listening(port)) throw new Error(`port ${port} is in use: stop what listens there first`);
  }
  rmSync(DEPLOY.dir, { recursive: true, force: true });
  mkdirSync(DEPLOY.dir, { recursive: true });
  build();

  const secrets = {
    KEYCENTER_MASTER_KEY: randomBytes(32).toString("base64"),
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
  };
  const instance = async (port: number, settings: Record<string, string>) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Nothing from the caller's shell decides what is under test.
    for (const name of Object.keys(env)) {
      if (/^(KEYCENTER_|BETTER_AUTH_|E2E_|PLAYWRIGHT_)/.test(name)) delete env[name];
    }
    Object.assign(env, secrets, settings, {
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: await freshDatabase(server, databaseName(port)),
      KEYCENTER_SEED: "1", // the demo users sign in
      KEYCENTER_ALERTS: "0",
      KEYCENTER_DIST_DIR: DEPLOY.distDir,
      KEYCENTER_DATA_DIR: path.join(DEPLOY.dir, `data-${port}`),
    });
    start(`keycenter-${port}`, "npm", ["start"], env);
  };
  await instance(DEPLOY.proxiedPort, { BETTER_AUTH_URL: HTTPS_URL, KEYCENTER_TRUSTED_PROXIES: "127.0.0.1, ::1" });
  await instance(DEPLOY.plainPort, { BETTER_AUTH_URL: PLAIN_URL });

  const caddyfile = path.join(DEPLOY.dir, "Caddyfile");
  writeFileSync(caddyfile, caddyConfig());
  start("caddy", "caddy", ["run", "--config", caddyfile, "--adapter", "caddyfile"], {
    ...process.env,
    XDG_DATA_HOME: DEPLOY.dir,
    XDG_CONFIG_HOME: DEPLOY.dir,
  });

  const deadline = Date.now() + 180_000;
  for (const port of [DEPLOY.proxiedPort, DEPLOY.plainPort]) {
    await until(deadline, `KeyCenter on ${port}`, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
      return res?.ok === true;
    });
  }
  await until(deadline, `Caddy's TLS at ${HTTPS_URL}`, () => throughCaddy("/api/health"));
}

/** The same site block README shows, with test ports and its data under DEPLOY.dir. */
function caddyConfig(): string {
  return `{
	admin off
	auto_https disable_redirects
	skip_install_trust
	storage file_system ${path.join(DEPLOY.dir, "caddy")}
	https_port ${DEPLOY.tlsPort}
}

${DEPLOY.tlsHost}:${DEPLOY.tlsPort} {
	tls internal
	reverse_proxy 127.0.0.1:${DEPLOY.proxiedPort}
}
`;
}

/** `npm run build` into DEPLOY.distDir when it holds no build. Next.js adds the dist dir to tsconfig.json: put it back. */
function build() {
  if (existsSync(path.join(DEPLOY.distDir, "BUILD_ID")) && process.env.DEPLOY_BUILD !== "1") return;
  const tsconfig = readFileSync("tsconfig.json");
  try {
    const r = spawnSync("npm", ["run", "build"], {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production", KEYCENTER_DIST_DIR: DEPLOY.distDir },
    });
    if (r.status !== 0) throw new Error("npm run build failed");
  } finally {
    if (!readFileSync("tsconfig.json").equals(tsconfig)) writeFileSync("tsconfig.json", tsconfig);
  }
}

async function freshDatabase(server: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs a process in its own process group (so that teardown stops its children too), its output to a log. */
function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  const log = path.join(DEPLOY.dir, `${name}.log`);
  const out = createWriteStream(log);
  const child = spawn(command, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  started.push({ name, child, log });
}

async function stopAll() {
  const running = started.splice(0).filter((s) => s.child.exitCode === null && s.child.signalCode === null);
  await Promise.all(
    running.map(
      (s) =>
        new Promise<void>((resolve) => {
          const group = (signal: NodeJS.Signals) => {
            try {
              process.kill(-s.child.pid!, signal);
            } catch {
              // already gone
            }
          };
          const killer = setTimeout(() => group("SIGKILL"), 10_000);
          s.child.once("exit", () => {
            clearTimeout(killer);
            group("SIGKILL"); // anything of the group still left
            resolve();
          });
          group("SIGTERM");
        }),
    ),
  );
}

async function until(deadline: number, what: string, check: () => Promise<boolean>) {
  while (!(await check())) {
    const dead = started.find((s) => s.child.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode}):\n${tail(dead.log)}`);
    if (Date.now() > deadline)
      throw new Error(`${what} did not come up in time:\n${started.map((s) => tail(s.log)).join("\n")}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const tail = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-30).join("\n") : "");

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** A GET through Caddy, trusting only Caddy's internal CA (the name resolved here, whatever /etc/hosts says). */
function throughCaddy(pathname: string): Promise<boolean> {
  if (!existsSync(caddyRoot())) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port: DEPLOY.tlsPort,
        servername: DEPLOY.tlsHost,
        path: pathname,
        headers: { host: `${DEPLOY.tlsHost}:${DEPLOY.tlsPort}` },
        ca: readFileSync(caddyRoot()),
        timeout: 5000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.once("error", () => resolve(false));
    req.once("timeout", () => req.destroy());
    req.end();
  });
}
