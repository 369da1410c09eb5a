import { prisma } from "@/lib/db";

/** How long the health check waits for the database before calling it unavailable. */
const HEALTH_TIMEOUT_MS = 4_000;

/**
 * Whether the database answers a trivial query within HEALTH_TIMEOUT_MS (the public health
 * check, app/api/health): a stopped or restarting server is "unavailable" at once (its
 * connections are refused), a hung one after the timeout — never a hang.
 */
export async function databaseReachable(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS);
  });
  try {
    const query = prisma.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
