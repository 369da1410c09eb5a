/**
 * The app as `npm start` runs it (scripts/start.ts → scripts/server.ts: the production build,
 * Next.js behind lib/http/server.ts), on a free loopback port and the given database, for the
 * benchmarks that measure what users run. The build is KEYCENTER_DIST_DIR's (default .next);
 * the launcher builds it when there is none.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export interface ServedApp {
  port: number;
  /** The server process (for its RSS). */
  pid: number;
  /** Resident set size of the server process, bytes (Linux /proc). */
  rss(): number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startServedApp(env: Record<string, string>): Promise<ServedApp> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    KEYCENTER_ALERTS: "0",
    KEYCENTER_LOG: "silent",
    ...env,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
  };
  delete (childEnv as Record<string, string | undefined>).NODE_ENV;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/start.ts")], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const pid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app was not ready in 10 minutes:\n${output}`)), 600_000);
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.length > 200_000) output = output.slice(-100_000);
        const ready = /Ready on \S+ \(pid (\d+)\)/.exec(output);
        if (ready) {
          clearTimeout(timer);
          resolve(Number(ready[1]));
        }
      });
    }
    child.once("exit", (code) => reject(new Error(`the app exited (${code}):\n${output}`)));
  });
  return {
    port,
    pid,
    rss() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return m ? Number(m[1]) * 1024 : NaN;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
