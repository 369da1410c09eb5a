/**
 * A throwaway PostgreSQL cluster for the reliability tests: initdb into a temp directory, and
 * pg_ctl start/stop on a free loopback port (its socket in that directory too), so that the
 * tests may stop, restart and fill it without touching any other database — never the
 * machine's main cluster. Run as the `postgres` system user when this process is root
 * (PostgreSQL refuses to run as root).
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

export interface ClusterInfo {
  /** Where pg_ctl, initdb, pg_dump… are. */
  binDir: string;
  /** The temp directory: data/, the server log, the socket. */
  dir: string;
  dataDir: string;
  port: number;
}

/** The newest PostgreSQL server binaries on this machine (PG_BIN_DIR to choose). */
export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (set PG_BIN_DIR)");
  return path.join(root, versions[0]!, "bin");
}

const asRoot = userInfo().uid === 0;

/** Runs a PostgreSQL program (as `postgres` when we are root); throws with its output when it fails. */
export function pgRun(info: Pick<ClusterInfo, "binDir">, program: string, args: string[], timeoutMs = 60_000): string {
  const bin = path.join(info.binDir, program);
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: "utf8", timeout: timeoutMs, cwd: "/" });
  if (r.status !== 0) {
    throw new Error(`${program} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** initdb (trust authentication on loopback, user postgres) into a new temp directory, and start it on `port`. */
export function createCluster(port: number): ClusterInfo {
  const binDir = postgresBinDir();
  const dir = mkdtempSync(path.join(tmpdir(), "keycenter-reliability-"));
  if (asRoot) chownSync(dir, Number(idOf("-u")), Number(idOf("-g")));
  const info: ClusterInfo = { binDir, dir, dataDir: path.join(dir, "data"), port };
  pgRun(info, "initdb", ["-D", info.dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  startCluster(info);
  return info;
}

function idOf(flag: string): string {
  return spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim();
}

/** pg_ctl start, waiting until it accepts connections. */
export function startCluster(info: ClusterInfo): void {
  const options = [
    `-p ${info.port}`,
    `-k ${info.dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    "-c shared_buffers=64MB",
  ].join(" ");
  pgRun(info, "pg_ctl", ["-D", info.dataDir, "-l", path.join(info.dir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
}

/** pg_ctl stop (fast: open connections are ended, the server shuts down cleanly), waiting until it is down. */
export function stopCluster(info: ClusterInfo, mode: "fast" | "immediate" = "fast"): void {
  pgRun(info, "pg_ctl", ["-D", info.dataDir, "-m", mode, "-w", "-t", "60", "stop"]);
}

/** Stops the cluster (if it runs) and removes its directory. */
export function destroyCluster(info: ClusterInfo): void {
  try {
    stopCluster(info, "immediate");
  } catch {
    // not running
  }
  rmSync(info.dir, { recursive: true, force: true });
}

/** The URL of `database` on the cluster. */
export function clusterUrl(info: ClusterInfo, database = "postgres"): string {
  return `postgresql://postgres@127.0.0.1:${info.port}/${database}`;
}
