import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { prisma } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The gateway's own connections, for its few hot statements (the key lookup and the batched
 * transaction insert): the same database as lib/db.ts, with named prepared statements, so
 * PostgreSQL parses and plans each statement once per connection instead of once per request
 * (the key lookup costs ~0.5 ms of database CPU unprepared, ~0.15 ms prepared). Created on
 * first use; KEYCENTER_GATEWAY_DB_POOL_SIZE connections (default 10).
 *
 * The embedded database (PGlite) is one backend shared by every socket connection: named
 * statements would outlive a pooled connection and collide when the next one prepares them.
 * There the gateway uses the app's one client.
 */
const embedded = () => process.env.KEYCENTER_EMBEDDED_DB === "1";

const names = new Map<string, string>();
function statementName(query: { sql: string }): string {
  let name = names.get(query.sql);
  if (!name) {
    name = `kc_gw_${createHash("sha256").update(query.sql).digest("hex").slice(0, 24)}`;
    names.set(query.sql, name);
  }
  return name;
}

let pool: pg.Pool | null = null;
let client: PrismaClient | null = null;

function gatewayPool(): pg.Pool {
  pool ??= new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.KEYCENTER_GATEWAY_DB_POOL_SIZE ?? 10),
  });
  return pool;
}

export function gatewayDb(): PrismaClient {
  if (embedded()) return prisma;
  client ??= new PrismaClient({ adapter: new PrismaPg(gatewayPool(), { statementNameGenerator: statementName }) });
  return client;
}

/** Prisma's columns are `timestamp(3)` without time zone, holding UTC: read them as UTC. */
const UTC_TIMESTAMP = 1114;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === UTC_TIMESTAMP && format !== "binary"
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/**
 * One hot read, prepared by name on the pooled driver connection: the ORM's fixed cost per
 * statement (~0.1–0.17 ms of CPU here, measured) is more than the query itself, and the
 * gateway runs this on every request. `sql` uses $1, $2… placeholders and names its columns
 * as the row type does; values are always parameters, never spliced in.
 */
export async function gatewayQuery<T>(sql: string, values: unknown[]): Promise<T[]> {
  if (embedded()) return prisma.$queryRawUnsafe<T[]>(sql, ...values);
  const result = await gatewayPool().query({ name: statementName({ sql }), text: sql, values, types });
  return result.rows as T[];
}

/** Closes the gateway's connections (tests, benchmarks). */
export async function disconnectGatewayDb(): Promise<void> {
  const c = client;
  const p = pool;
  client = null;
  pool = null;
  await c?.$disconnect();
  await p?.end().catch(() => undefined);
}
