import type { Db } from "@/lib/db";
import { logger } from "@/lib/log";
import { deliverDue } from "./deliver";
import { scanExpiringKeys } from "./scan";
import type { AlertTransports } from "./transports";

/**
 * The expiry-alert job runner (B2): scan, then deliver, every interval, never overlapping
 * itself (the next run is scheduled when the last one ends). All state is in the database,
 * so a restart loses nothing and repeats nothing; several processes may run one each.
 */
export interface AlertRunner {
  /** One run now (after the current one, if any). */
  runOnce(): Promise<void>;
  /**
   * Stops scheduling, and claims no further delivery batch; resolves once the run in progress
   * has finished its batch in hand (every claim it took written back), or after `timeoutMs`
   * (a claim still held then expires after CLAIM_LEASE_MS, as a crashed process's does).
   */
  stop(timeoutMs?: number): Promise<void>;
}

export function alertsEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.KEYCENTER_ALERTS !== "0";
}

export function alertsIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.KEYCENTER_ALERTS_INTERVAL_MS);
  return Number.isFinite(n) && n >= 1_000 ? n : 60_000;
}

export function startAlertRunner(opts: {
  db: Db;
  transports: AlertTransports;
  intervalMs: number;
  /** Before the first run (default: 10 s, or the interval if shorter): let the app start first. */
  firstRunAfterMs?: number;
  clock?: () => Date;
}): AlertRunner {
  const clock = opts.clock ?? (() => new Date());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const stopping = new AbortController();

  const work = async () => {
    if (stopping.signal.aborted) return;
    const now = clock();
    try {
      const scanned = await scanExpiringKeys(opts.db, now);
      const delivered = await deliverDue(opts.db, now, opts.transports, { signal: stopping.signal });
      if (scanned.alerts || delivered.sent || delivered.failed || delivered.retrying) {
        logger.info({ alerts: scanned.alerts, ...delivered }, "expiry alerts");
      }
    } catch (e) {
      logger.error({ err: e }, "expiry alert run failed");
    }
  };
  const runOnce = () => (running = running.then(work));
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => void runOnce().finally(() => schedule(opts.intervalMs)), ms);
    timer.unref();
  };
  schedule(opts.firstRunAfterMs ?? Math.min(10_000, opts.intervalMs));
  return {
    runOnce,
    async stop(timeoutMs = 10_000) {
      stopped = true;
      clearTimeout(timer);
      stopping.abort();
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((resolve) => (bound = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(bound);
    },
  };
}
