/**
 * The served app, as `npm start` runs it, for integration tests: scripts/start.ts (the
 * launcher) → scripts/server.ts → Next.js behind lib/http/server.ts on one port, with the test
 * file's database (DATABASE_URL, set by integration-setup.ts) and this process's secrets. The
 * gateway's machine endpoints are answered there by the direct path, as users get them.
 *
 * Needs a production build: KEYCENTER_DIST_DIR's (default .next). When it has none, the first
 * test file to need it builds it (under a lock, so parallel files build once; a few minutes).
 *
 * Also a recording proxy (startRecordingProxy): a reverse proxy in front of the app, as a
 * deployment has one, that names the client in X-Forwarded-For and keeps the last exchange
 * (request and response as they went over the wire), for tests that replay a request or read
 * an answer before the client library decodes it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const MAX_OUTPUT_CHARS = 256 * 1024;

export interface ServedApp {
  port: number;
  /** `127.0.0.1:<port>`: the Host a client sends. */
  host: string;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The launcher's process ID (scripts/start.ts: what `npm start` runs). */
  pid: number;
  /** The server process's ID (scripts/server.ts, the launcher's child), from its "Ready on" line. */
  serverPid: number;
  /** Settles when the launcher exits, with its exit code (null: ended by a signal). */
  exited: Promise<number | null>;
  /** The app's stdout and stderr so far (the last 256 KiB). */
  output(): string;
  /** Stops the launcher and the server (their process group) and removes the scratch directory. */
  stop(): Promise<void>;
}

export interface ServedAppOptions {
  /**
   * More environment for the app, as a deployment sets it: KEYCENTER_GATEWAY_HOSTS,
   * KEYCENTER_TRUSTED_PROXIES, KEYCENTER_RATE_LIMITS…
   */
  env?: Record<string, string>;
}

/**
 * The unauthenticated-failure limit per client address (KEYCENTER_RATE_LIMITS gateway.ip, per
 * 60 s) of an app started with `behindTrustedProxy()`: above the failures a gateway test file
 * makes from 127.0.0.1 (about 40), so that only its rate limit test, from an address of its own,
 * reaches it.
 */
export const GATEWAY_FAILURE_LIMIT = 100;

/**
 * The app's environment behind a reverse proxy on loopback, as a deployment behind one is
 * configured: 127.0.0.1 is a trusted proxy, so X-Forwarded-For from it names the client (how
 * tests send from other addresses), and the gateway's failure limit is GATEWAY_FAILURE_LIMIT.
 */
export function behindTrustedProxy(): Record<string, string> {
  return {
    KEYCENTER_TRUSTED_PROXIES: "127.0.0.1",
    KEYCENTER_RATE_LIMITS: `gateway.ip=${GATEWAY_FAILURE_LIMIT}/60`,
  };
}

/** A port free on loopback right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The build directory, with a finished production build: KEYCENTER_DIST_DIR or .next, built
 * once when it has none (one builder at a time across parallel test files: a lock directory).
 */
export async function ensureBuild(): Promise<string> {
  const dist = process.env.KEYCENTER_DIST_DIR || ".next";
  const built = () => existsSync(path.join(ROOT, dist, "BUILD_ID"));
  const lock = path.join(ROOT, ".data", `build-lock-${dist.replace(/[^\w.-]+/g, "_")}`);
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  while (!built()) {
    let mine = false;
    try {
      mkdirSync(lock);
      mine = true;
    } catch {
      // Another file builds. A lock older than 15 minutes is a crashed builder's.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
    }
    if (mine) {
      try {
        if (!built()) {
          const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
          const build = spawnSync(process.execPath, [nextBin, "build"], {
            cwd: ROOT,
            stdio: "inherit",
            env: { ...process.env, KEYCENTER_DIST_DIR: dist },
          });
          if (build.status !== 0) throw new Error(`next build (into ${dist}) failed`);
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`no production build in ${dist} after 15 minutes`);
    await sleep(1000);
  }
  return dist;
}

/** Starts the served app on a free port and resolves once it is ready (its "Ready on" line). */
export async function startServedApp(options: ServedAppOptions = {}): Promise<ServedApp> {
  const dist = await ensureBuild();
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(dist, await freePort(), options);
    } catch (e) {
      // The port was taken between the probe and the listen: once more, on another.
      if (attempt >= 3 || !/EADDRINUSE/.test(String(e))) throw e;
    }
  }
}

async function launch(dist: string, port: number, options: ServedAppOptions): Promise<ServedApp> {
  const host = `127.0.0.1:${port}`;
  const base = `http://${host}`;
  const scratch = path.join(ROOT, ".data", `test-served-app-${process.pid}-${port}`);
  mkdirSync(scratch, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KEYCENTER_DIST_DIR: dist,
    KEYCENTER_DATA_DIR: scratch,
    KEYCENTER_ALERTS: "0",
    KEYCENTER_LOG: process.env.KEYCENTER_SERVED_APP_LOG ?? "info",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    BETTER_AUTH_URL: base,
    ...options.env,
  };
  // As `npm start` is run: the launcher sets NODE_ENV for the server; no demo seed into a real database.
  delete (env as Record<string, string | undefined>).NODE_ENV;
  delete env.KEYCENTER_SEED;

  let output = "";
  // As `npm start` runs the launcher (tsx), in its own process group so that it stops whole.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // gone already
    }
  };
  // Never left running when this test process ends without stopping it.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);
  const exitCode = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const exited = exitCode.then(() => undefined);

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the served app was not ready in 120 s:\n${output}`)), 120_000);
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
          if (/Ready on/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the served app exited (${code}) before it was ready:\n${output}`));
      });
    });
  } catch (e) {
    killGroup("SIGKILL");
    await Promise.race([exited, sleep(5000)]);
    process.off("exit", onExit);
    rmSync(scratch, { recursive: true, force: true });
    throw e;
  }

  let stopped: Promise<void> | null = null;
  return {
    port,
    host,
    base,
    pid: child.pid!,
    serverPid: Number(/Ready on \S+ \(pid (\d+)\)/.exec(output)?.[1] ?? 0),
    exited: exitCode,
    output: () => output,
    stop() {
      stopped ??= (async () => {
        killGroup("SIGTERM");
        const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
        if (!done) {
          killGroup("SIGKILL");
          await Promise.race([exited, sleep(5000)]);
        }
        process.off("exit", onExit);
        rmSync(scratch, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** One request and its answer, as they went through the proxy. */
export interface Exchange {
  request: { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer };
  response: { status: number; headers: IncomingHttpHeaders; body: Buffer };
}

export interface RecordingProxy {
  port: number;
  /** `127.0.0.1:<port>`: the Host its clients send (and sign); the app must accept it (KEYCENTER_GATEWAY_HOSTS). */
  host: string;
  base: string;
  /** The last exchange forwarded, or null. */
  last: Exchange | null;
  /** Forgets the last exchange (`last` is null until the next one). */
  forget(): void;
  /** Where to forward: the app's port (set once the app runs). */
  forwardTo(port: number): void;
  close(): Promise<void>;
}

/** Connection-level headers a proxy does not pass on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"];

function endToEnd(headers: IncomingHttpHeaders, body: Buffer): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  out["content-length"] = String(body.length);
  return out;
}

/**
 * A reverse proxy on loopback in front of the app, as a deployment puts one: it passes the
 * request on unchanged (the client's Host included), appends the client's address to
 * X-Forwarded-For, and answers with the app's answer. It buffers both (test-sized messages)
 * and keeps the last exchange in `last`.
 */
export async function startRecordingProxy(): Promise<RecordingProxy> {
  let target = 0;
  const proxy: RecordingProxy = {
    port: 0,
    host: "",
    base: "",
    last: null,
    forget() {
      proxy.last = null;
    },
    forwardTo(port) {
      target = port;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const headers = endToEnd(req.headers, body);
      const peer = req.socket.remoteAddress ?? "";
      const prior = headers["x-forwarded-for"];
      headers["x-forwarded-for"] = prior ? `${String(prior)}, ${peer}` : peer;
      const upstream = httpRequest(
        { host: "127.0.0.1", port: target, method: req.method, path: req.url, headers },
        (answer) => {
          const out: Buffer[] = [];
          answer.on("data", (c: Buffer) => out.push(c));
          answer.on("end", () => {
            const responseBody = Buffer.concat(out);
            proxy.last = {
              request: { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body },
              response: { status: answer.statusCode ?? 0, headers: answer.headers, body: responseBody },
            };
            res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers, responseBody));
            res.end(responseBody);
          });
        },
      );
      upstream.on("error", (e) => {
        if (res.headersSent) return res.destroy();
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`proxy: ${e.message}`);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.host = `127.0.0.1:${proxy.port}`;
  proxy.base = `http://${proxy.host}`;
  return proxy;
}

/**
 * POSTs `chunks` one after the other without a Content-Length (Transfer-Encoding: chunked),
 * each once the previous one is written, and stops sending when the answer comes. Resolves
 * with the answer; a connection the server closes after answering is not an error.
 */
export function postStreamed(
  base: string,
  pathWithQuery: string,
  headers: Record<string, string>,
  chunks: Iterable<Uint8Array>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const url = new URL(pathWithQuery, base);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: "POST", path: url.pathname + url.search, headers },
      (res) => {
        answered = true;
        const out: Buffer[] = [];
        res.on("data", (c: Buffer) => out.push(c));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(out).toString("utf8") });
          // The rest of the body is not sent: this connection is done.
          req.destroy();
        });
        res.on("error", reject);
      },
    );
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      if (answered || req.destroyed) return;
      const next = iterator.next();
      if (next.done) return void req.end();
      req.write(next.value, (e) => {
        if (!e) pump();
      });
    };
    pump();
  });
}
