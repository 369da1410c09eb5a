import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { prisma, readRows } from "@/lib/db";
import { driverPool, driverRows, statementName } from "@/lib/db-driver";
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

let pool: pg.Pool | null = null;
let client: PrismaClient | null = null;

function gatewayPool(): pg.Pool {
  pool ??= driverPool({
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

/**
 * The gateway's hot read (the key lookup), as a named prepared statement on the driver: see
 * lib/db-driver.ts. On the embedded database, the same SQL unnamed on the app's pool (same
 * driver, so rows decode the same: Buffers, UTC timestamps).
 */
export async function gatewayQuery<T>(sql: string, values: unknown[]): Promise<T[]> {
  if (embedded()) return readRows<T>(sql, values);
  return driverRows<T>(gatewayPool(), sql, values, { prepared: true });
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
