import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** The one Prisma client. Next.js always sees a DATABASE_URL: a real server's, or the
 * embedded database's that `npm start` serves (see lib/db-admin/embedded.ts). */
function createClient(): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.KEYCENTER_DB_POOL_SIZE ?? 10),
    // Fail loudly rather than wait forever for a connection.
    connectionTimeoutMillis: 15_000,
  });
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { keycenterPrisma?: PrismaClient };

export const prisma: PrismaClient = globalForPrisma.keycenterPrisma ?? createClient();
// Kept across hot reloads in development only; tests and production get one per process.
if (process.env.NODE_ENV === "development") globalForPrisma.keycenterPrisma = prisma;

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
