import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AlertDelivery, ExpiryAlert } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { alertBody, alertEmail, alertEvent, alertTitle } from "./message";
import type { AlertTransports } from "./transports";
import { orgWebhook, postWebhook } from "./webhook";

/** Waits after the 1st, 2nd... failed attempt; after the last one the delivery is given up (FAILED). */
export const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000] as const;
/** A claimed delivery not finished within this long (the process died) is claimed again. */
export const CLAIM_LEASE_MS = 5 * 60_000;
const CONCURRENCY = 4;

export interface DeliverOptions {
  /** Only this org's deliveries ("Check now"). Default: every org. */
  orgId?: string;
  limit?: number;
  /** Once aborted, no further batch is claimed (graceful shutdown); the batch in hand is finished. */
  signal?: AbortSignal;
}

export interface DeliverResult {
  sent: number;
  retrying: number;
  failed: number;
}

type Claimed = AlertDelivery & { alert: ExpiryAlert };
type Webhooks = Map<string, Promise<{ url: string; secret: string } | null>>;
type Outcome = { ok: true } | { ok: false; error: string; permanent?: boolean };

/**
 * Sends the deliveries that are due (B2), a few at a time. Each batch (CONCURRENCY rows) is
 * claimed first, in one conditional UPDATE over a FOR UPDATE SKIP LOCKED selection, so two
 * runners (or "Check now" beside the runner) never take the same row; no connection or
 * transaction is held while sending. Each claim gets a lease of CLAIM_LEASE_MS from the
 * moment it is taken, so slow sends early in a run do not eat into later rows' leases. Each
 * result is written only by the holder of the claim. A failure is retried after BACKOFF_MS,
 * then given up. A process that dies mid-send leaves its claim to expire after
 * CLAIM_LEASE_MS: that delivery may then go out again (at least once), with the same event
 * ID for webhooks.
 */
export async function deliverDue(
  db: Db,
  now: Date,
  transports: AlertTransports,
  opts: DeliverOptions = {},
): Promise<DeliverResult> {
  const token = randomUUID();
  const limit = opts.limit ?? 100;
  // `now` is the run's clock (tests move it); leases follow it as real time passes.
  const started = Date.now();
  const current = () => new Date(now.getTime() + (Date.now() - started));
  const result: DeliverResult = { sent: 0, retrying: 0, failed: 0 };
  for (let taken = 0; taken < limit && !opts.signal?.aborted;) {
    const batch = await claim(db, now, current(), token, Math.min(CONCURRENCY, limit - taken), opts.orgId);
    taken += batch.length;
    // Each org's webhook is read (and its secret opened) once per batch, not per delivery.
    const webhooks: Webhooks = new Map();
    for (const d of batch) {
      if (d.channel === "WEBHOOK" && !webhooks.has(d.alert.orgId)) {
        webhooks.set(d.alert.orgId, orgWebhook(db, d.alert.orgId));
      }
    }
    await Promise.all(
      batch.map(async (d) => {
        const outcome = await send(db, now, transports, webhooks, d).catch((e: unknown): Outcome => {
          logger.error(
            { deliveryId: d.id, channel: d.channel, err: e instanceof Error ? e.message : String(e) },
            "alert delivery error",
          );
          return { ok: false, error: "Internal error" };
        });
        const counted = await record(db, now, token, d, outcome);
        if (counted) result[counted] += 1;
      }),
    );
    if (batch.length < CONCURRENCY) break;
  }
  return result;
}

/** Claims up to `take` due deliveries for `token`, leased until CLAIM_LEASE_MS after `at`. */
async function claim(db: Db, now: Date, at: Date, token: string, take: number, orgId?: string): Promise<Claimed[]> {
  const lease = new Date(at.getTime() + CLAIM_LEASE_MS);
  const orgFilter = orgId ? Prisma.sql`AND a."orgId" = ${orgId}` : Prisma.empty;
  const claimedIds = await db.$queryRaw<{ id: string }[]>`
    UPDATE "alert_deliveries" SET "lockedUntil" = ${lease}, "claimToken" = ${token}, "attempts" = "attempts" + 1
     WHERE "id" IN (
       SELECT d."id" FROM "alert_deliveries" d JOIN "expiry_alerts" a ON a."id" = d."alertId"
        WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= ${now}
          AND (d."lockedUntil" IS NULL OR d."lockedUntil" <= ${now}) ${orgFilter}
        ORDER BY d."nextAttemptAt", d."id"
        LIMIT ${take}
        FOR UPDATE OF d SKIP LOCKED)
    RETURNING "id"`;
  if (claimedIds.length === 0) return [];
  return db.alertDelivery.findMany({
    where: { id: { in: claimedIds.map((r) => r.id) }, claimToken: token },
    include: { alert: true },
    orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
  });
}

async function send(db: Db, now: Date, transports: AlertTransports, webhooks: Webhooks, d: Claimed): Promise<Outcome> {
  const alert = d.alert;
  if (d.channel === "IN_APP") {
    await db.notification.createMany({
      data: [
        {
          orgId: alert.orgId,
          alertId: alert.id,
          keyId: alert.keyId,
          title: alertTitle(alert),
          body: alertBody(alert),
          daysLeft: alert.daysLeft,
          createdAt: now,
        },
      ],
      skipDuplicates: true,
    });
    return { ok: true };
  }
  if (d.channel === "EMAIL") {
    const { subject, text } = alertEmail(alert);
    const message = { from: transports.from, to: d.recipient, subject, text };
    if (!transports.mailer) {
      await db.outboxEmail.createMany({
        data: [{ ...message, orgId: alert.orgId, deliveryId: d.id, createdAt: now }],
        skipDuplicates: true,
      });
      return { ok: true };
    }
    try {
      await transports.mailer.sendMail(message);
      return { ok: true };
    } catch (e) {
      const code = (e as { responseCode?: number; code?: string }).responseCode ?? (e as { code?: string }).code;
      return { ok: false, error: `SMTP error${code ? ` ${code}` : ""}` };
    }
  }
  const webhook = await webhooks.get(alert.orgId);
  if (!webhook) {
    return { ok: false, error: "The webhook was removed", permanent: true };
  }
  const r = await postWebhook({
    url: webhook.url,
    secret: webhook.secret,
    eventId: alert.id,
    body: JSON.stringify(alertEvent(alert, now)),
    now,
    fetch: transports.fetch,
  });
  return r.ok ? { ok: true } : { ok: false, error: r.error ?? "Failed" };
}

/**
 * Writes the outcome, if the claim is still ours; says which count it adds to, or null when
 * the claim was lost (its lease ran out and another runner took the row over).
 */
async function record(
  db: Db,
  now: Date,
  token: string,
  d: Claimed,
  outcome: Outcome,
): Promise<keyof DeliverResult | null> {
  const mine = { id: d.id, claimToken: token };
  const release = { lockedUntil: null, claimToken: null };
  if (outcome.ok) {
    const { count } = await db.alertDelivery.updateMany({
      where: mine,
      data: { ...release, status: "SENT", sentAt: now, lastError: null },
    });
    return count === 1 ? "sent" : null;
  }
  const wait = outcome.permanent ? undefined : BACKOFF_MS[d.attempts - 1];
  logger.warn(
    { deliveryId: d.id, alertId: d.alertId, channel: d.channel, attempts: d.attempts, error: outcome.error },
    wait === undefined ? "alert delivery given up" : "alert delivery failed; will retry",
  );
  const { count } = await db.alertDelivery.updateMany({
    where: mine,
    data:
      wait === undefined
        ? { ...release, status: "FAILED", lastError: outcome.error }
        : { ...release, lastError: outcome.error, nextAttemptAt: new Date(now.getTime() + wait) },
  });
  if (count !== 1) return null;
  return wait === undefined ? "failed" : "retrying";
}
