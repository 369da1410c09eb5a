import { prisma } from "@/lib/db";

/** Whether the database answers a trivial query (the public health check, app/api/health). */
export async function databaseReachable(): Promise<boolean> {
  try {
    await prisma.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
