import { prisma, readRows } from "@/lib/db";
import { gatewayQuery } from "@/lib/gateway/db";
import { logger } from "@/lib/log";

/**
 * What the direct routes (the gateway, the Key Management API) would otherwise load on their
 * first request, loaded before the server listens: Prisma's query compiler and a first
 * connection of the app's and the gateway's pools. Without it the first API request after a
 * start took 2.2 s and the next twenty 30–160 ms (bench/api.ts, no warm-up requests). Next's
 * pages have their own module graph and are not concerned.
 *
 * Bounded (`limitMs`) and never throws: a database that is down at start-up is /api/health's
 * business, and the routes answer 503 until it is back.
 */
export async function warmDirectRoutes(limitMs = 5_000): Promise<void> {
  const started = performance.now();
  const work = Promise.all([
    prisma.organization.findFirst({ select: { id: true } }),
    readRows("SELECT 1", []),
    gatewayQuery("SELECT 1", []),
  ]).then(
    () => logger.debug({ ms: Math.round(performance.now() - started) }, "server: direct routes warmed"),
    (err: unknown) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, "server: warm-up skipped (database)"),
  );
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
    timer.unref();
  });
  await Promise.race([work, limit]);
  clearTimeout(timer);
}
