import { createHash } from "node:crypto";
import pg from "pg";
import { logger } from "@/lib/log";

/**
 * Reads sent straight to the `pg` driver, for the few hot statements where Prisma's fixed
 * cost per statement (~0.1–0.17 ms of CPU here, measured: `SELECT 1` 131 µs through
 * `$executeRaw` against 30 µs through `pg`) is more than the query itself: the gateway's key
 * lookup and Key Management's search. Everything else goes through Prisma. The pools are the
 * ones the Prisma clients use (lib/db.ts, lib/gateway/db.ts).
 */

/** Prisma's columns are `timestamp(3)` without time zone, holding UTC: read them as UTC. */
const UTC_TIMESTAMP = 1114;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === UTC_TIMESTAMP && format !== "binary"
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/**
 * A pool whose idle connections may die (a restarted server, a dropped test database) without
 * killing the process, and that fails loudly (after 15 s unless `connectionTimeoutMillis` says
 * otherwise) rather than wait forever for a connection.
 */
export function driverPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ connectionTimeoutMillis: 15_000, ...config });
  pool.on("error", (err) => {
    logger.warn({ err: err.message }, "database: an idle connection failed");
    noteDatabaseOutcome(err);
  });
  // Every checkout (pool.query takes one too) tells whether the server answers.
  type Connect = (callback?: (err: Error | undefined, ...rest: unknown[]) => void) => Promise<unknown> | void;
  const connect = pool.connect.bind(pool) as Connect;
  (pool as unknown as { connect: Connect }).connect = (callback) => {
    if (typeof callback === "function") {
      return connect((err, ...rest) => {
        noteDatabaseOutcome(err ?? null);
        callback(err, ...rest);
      });
    }
    return (connect() as Promise<unknown>).then(
      (client) => {
        noteDatabaseOutcome(null);
        return client;
      },
      (err: unknown) => {
        noteDatabaseOutcome(err);
        throw err;
      },
    );
  };
  state().pools.add(pool);
  return pool;
}

/**
 * Database availability, per process (on globalThis: the server's own modules and Next's
 * bundle each load this file, and share one state): `unavailableSince` is set when a
 * connection fails as an outage does (refused, terminated by a shutting-down server, "starting
 * up"…), and cleared by the next successful connection — a probe tries one every second
 * meanwhile, so the state recovers without traffic. lib/http/server.ts answers 503 while it is
 * set (RELIABILITY.md).
 */
interface DatabaseState {
  unavailableSince: number | null;
  lastError: string | null;
  probe: NodeJS.Timeout | null;
  pools: Set<pg.Pool>;
}

const STATE = Symbol.for("keycenter.databaseState");

function state(): DatabaseState {
  const g = globalThis as unknown as Record<symbol, DatabaseState | undefined>;
  return (g[STATE] ??= { unavailableSince: null, lastError: null, probe: null, pools: new Set() });
}

/** SQLSTATEs and Node error codes of a server that is down, restarting or unreachable. */
const OUTAGE_CODES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down)
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // connection exceptions
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "P1001", // Prisma: can't reach database server
  "P1017", // Prisma: server has closed the connection
  "P2024", // Prisma: timed out fetching a new connection from the pool
]);
const OUTAGE_MESSAGES =
  /connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery)|timeout exceeded when trying to connect|connection refused|ECONNREFUSED|server closed the connection|Can't reach database server|Connection is not open|Client has encountered a connection error|DatabaseNotReachable|ConnectionClosed/i;

/** Whether `e` (or an error it wraps) says the database server is unavailable, not that a query is wrong. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 8; depth++) {
    if (typeof cur !== "object") return OUTAGE_MESSAGES.test(String(cur));
    const err = cur as { code?: unknown; message?: unknown; kind?: unknown; cause?: unknown; originalCode?: unknown };
    for (const code of [err.code, err.originalCode]) if (typeof code === "string" && OUTAGE_CODES.has(code)) return true;
    if (typeof err.kind === "string" && OUTAGE_MESSAGES.test(err.kind)) return true;
    if (typeof err.message === "string" && OUTAGE_MESSAGES.test(err.message)) return true;
    cur = err.cause;
  }
  return false;
}

/** Records how a connection attempt (or a failure) went: null is success. */
export function noteDatabaseOutcome(e: unknown): void {
  const s = state();
  if (e == null) {
    if (s.unavailableSince !== null) {
      logger.info({ downMs: Date.now() - s.unavailableSince }, "database: available again");
    }
    s.unavailableSince = null;
    s.lastError = null;
    return;
  }
  if (!isDatabaseUnavailable(e)) return;
  if (s.unavailableSince === null) {
    s.unavailableSince = Date.now();
    s.lastError = e instanceof Error ? e.message : String(e);
    logger.warn({ err: s.lastError }, "database: unavailable");
  }
  startProbe(s);
}

/** While the database is unavailable, one connection attempt a second, until one succeeds. */
function startProbe(s: DatabaseState): void {
  if (s.probe || !process.env.DATABASE_URL) return;
  s.probe = setInterval(() => {
    if (s.unavailableSince === null) {
      clearInterval(s.probe!);
      s.probe = null;
      return;
    }
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2_000 });
    client.on("error", () => undefined);
    client
      .connect()
      .then(() => client.query("SELECT 1"))
      .then(
        () => noteDatabaseOutcome(null),
        () => undefined,
      )
      .finally(() => void client.end().catch(() => undefined));
  }, 1_000);
  s.probe.unref();
}

/** Since when the database has been unavailable (epoch ms), or null: available (as far as last seen). */
export function databaseUnavailableSince(): number | null {
  return state().unavailableSince;
}

/** Ends every pool driverPool made in this process (graceful shutdown), each within `timeoutMs`. */
export async function closeDriverPools(timeoutMs = 5_000): Promise<void> {
  const s = state();
  if (s.probe) clearInterval(s.probe);
  s.probe = null;
  const pools = [...s.pools];
  s.pools.clear();
  await Promise.all(
    pools.map((p) =>
      Promise.race([p.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]),
    ),
  );
}

const names = new Map<string, string>();
/** A stable statement name per SQL text. */
export function statementName(query: { sql: string }): string {
  let name = names.get(query.sql);
  if (!name) {
    name = `kc_${createHash("sha256").update(query.sql).digest("hex").slice(0, 24)}`;
    names.set(query.sql, name);
  }
  return name;
}

/**
 * Runs `sql` ($1, $2… placeholders; values always parameters, never spliced in) and returns
 * its rows, timestamps as UTC Dates. `prepared`: as a named prepared statement, parsed and
 * planned once per connection — for statements whose plan does not depend on the values.
 * Dates are sent as ISO strings (a JS Date would be sent in the process's local time zone).
 */
export async function driverRows<T>(
  pool: pg.Pool,
  sql: string,
  values: unknown[],
  { prepared = false }: { prepared?: boolean } = {},
): Promise<T[]> {
  const params = values.map((v) => (v instanceof Date ? v.toISOString() : v));
  const result = await pool.query({
    ...(prepared ? { name: statementName({ sql }) } : {}),
    text: sql,
    values: params,
    types,
  });
  return result.rows as T[];
}
