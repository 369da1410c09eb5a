/**
 * Expiry alert thresholds (B2): days before a key expires at which its org hears about it.
 * Pure functions; the clock is always a parameter.
 */
export const ALERT_THRESHOLDS = [60, 30, 7, 1] as const;
export type AlertThreshold = (typeof ALERT_THRESHOLDS)[number];

/** The first threshold: how far ahead the scheduler looks. */
export const ALERT_HORIZON_DAYS: number = Math.max(...ALERT_THRESHOLDS);

/** The thresholds as page text, largest first: "60, 30, 7 and 1". */
export const ALERT_THRESHOLDS_TEXT = `${ALERT_THRESHOLDS.slice(0, -1).join(", ")} and ${ALERT_THRESHOLDS.at(-1)}`;

const DAY_MS = 86_400_000;

/** Whole days left before `expiresAt`, rounded up: 59.2 days left is "60 days". 0 or less: expired. */
export function daysLeft(expiresAt: Date, now: Date): number {
  return Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS);
}

/**
 * Which threshold fires now, if any: the smallest threshold already crossed (days left at or
 * below it), unless that one was sent already. A key created with 20 days left gets the
 * 30-day alert only (no burst of 60 + 30); a runner that was down from 8 to 5 days left sends
 * the 7-day alert on its return; a key whose 7-day alert went out hears nothing more until
 * the 1-day one. Expired keys (0 days left or less) get nothing.
 */
export function thresholdToFire(days: number, alreadySent: Iterable<number>): AlertThreshold | null {
  if (days <= 0) return null;
  const crossed = ALERT_THRESHOLDS.filter((t) => days <= t);
  if (crossed.length === 0) return null;
  const smallest = Math.min(...crossed) as AlertThreshold;
  return new Set(alreadySent).has(smallest) ? null : smallest;
}

/**
 * Where each threshold is the one to fire (thresholdToFire, as a query): keys expiring after
 * `after` (the next smaller threshold's days from now; now itself for the smallest) and at
 * or before `until` (the threshold's days from now) have crossed it and no smaller one.
 */
export function alertBands(now: Date): { threshold: AlertThreshold; after: Date; until: Date }[] {
  return ALERT_THRESHOLDS.map((threshold, i) => ({
    threshold,
    after: new Date(now.getTime() + (ALERT_THRESHOLDS[i + 1] ?? 0) * DAY_MS),
    until: new Date(now.getTime() + threshold * DAY_MS),
  }));
}
