import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { driverPool, driverRows } from "@/lib/db-driver";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** The one Prisma client, and its connection pool. Next.js always sees a DATABASE_URL: a real
 * server's, or the embedded database's that `npm start` serves (see lib/db-admin/embedded.ts). */
function createClient(): { prisma: PrismaClient; pool: pg.Pool } {
  const pool = driverPool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.KEYCENTER_DB_POOL_SIZE ?? 10),
    // Fail loudly rather than wait forever for a connection.
    connectionTimeoutMillis: 15_000,
  });
  // $disconnect() ends the pool too.
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    // A transaction waits for a pooled connection as long as any query does (Prisma's default
    // is 2 s): a burst of writes, each audited under one lock, queues instead of failing. It
    // may run for a minute (Prisma's default is 5 s): assigning a portfolio's 1,000,000 MIDs to
    // a meta key is one INSERT … SELECT of 5–9 s inside the key's transaction, and failed at 5 s.
    transactionOptions: { maxWait: 15_000, timeout: 60_000 },
  });
  return { prisma, pool };
}

const globalForPrisma = globalThis as unknown as { keycenterDb?: { prisma: PrismaClient; pool: pg.Pool } };

const db = globalForPrisma.keycenterDb ?? createClient();
// Kept across hot reloads in development only; tests and production get one per process.
if (process.env.NODE_ENV === "development") globalForPrisma.keycenterDb = db;

export const prisma: PrismaClient = db.prisma;

/** The driver pool under `prisma`, for the few libraries that speak `pg` themselves (lib/rate-limit.ts). */
export const pool: pg.Pool = db.pool;

/**
 * A hot read on the driver, bypassing the ORM (see lib/db-driver.ts); unprepared, so each
 * search gets a plan for its own values. On the same pool as `prisma`.
 */
export function readRows<T>(sql: string, values: unknown[]): Promise<T[]> {
  return driverRows<T>(db.pool, sql, values);
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
