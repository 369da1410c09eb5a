import type { Db } from "@/lib/db";
import type { KeyType, Environment, MetaScope } from "@/lib/generated/prisma/enums";
import { midsBelowWhere } from "@/lib/orgs/mids";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { adminEmailsOfMany } from "./recipients";
import { alertBands, daysLeft } from "./thresholds";

export interface ScanOptions {
  /** Only this org's keys ("Check now" on the Notifications page). Default: every org. */
  orgId?: string;
  batchSize?: number;
}

export interface ScanResult {
  alerts: number;
}

interface ScannedKey {
  id: string;
  orgId: string;
  name: string;
  type: KeyType;
  environment: Environment;
  expiresAt: Date;
  metaScope: MetaScope | null;
  org: OrgRef;
}

/**
 * The scheduler (B2): for every active key (not deactivated, not deleted, not expired) that
 * expires within the first threshold's days, raises the alert of the smallest threshold it
 * has crossed, unless already raised (lib/alerts/thresholds.ts), with one pending delivery
 * per channel: an email to each administrator, the org's webhook when one is set up, and the
 * in-app notification. Each threshold is one query over its band (alertBands), so only keys
 * that still need an alert are read, in batches: a batch's recipients are one query, its alerts
 * and their deliveries one transaction (per key, 10,000,000 keys took 25+ minutes); the unique
 * (keyId, thresholdDays) turns a second insert (another runner, a restart) into nothing.
 */
export async function scanExpiringKeys(db: Db, now: Date, opts: ScanOptions = {}): Promise<ScanResult> {
  const batchSize = opts.batchSize ?? 500;
  const result: ScanResult = { alerts: 0 };
  const recipients = new Map<string, string[]>();
  const webhooks = new Map<string, boolean>();
  for (const band of alertBands(now)) {
    let cursor: string | undefined;
    for (;;) {
      const keys: ScannedKey[] = await db.key.findMany({
        where: {
          deletedAt: null,
          deactivatedAt: null,
          expiresAt: { gt: band.after, lte: band.until },
          expiryAlerts: { none: { thresholdDays: band.threshold } },
          ...(opts.orgId ? { orgId: opts.orgId } : {}),
        },
        orderBy: { id: "asc" },
        take: batchSize,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        select: {
          id: true,
          orgId: true,
          name: true,
          type: true,
          environment: true,
          expiresAt: true,
          metaScope: true,
          org: { select: { id: true, type: true, portfolioId: true, accountId: true } },
        },
      });
      // The batch's new orgs: their recipients in one query, their webhooks in another.
      const fresh = [...new Map(keys.filter((k) => !recipients.has(k.orgId)).map((k) => [k.orgId, k.org])).values()];
      if (fresh.length) {
        const emails = await adminEmailsOfMany(db, fresh);
        const hooked = await orgsWithWebhook(db, fresh.map((o) => o.id));
        for (const o of fresh) {
          recipients.set(o.id, emails.get(o.id) ?? []);
          webhooks.set(o.id, hooked.has(o.id));
        }
      }
      result.alerts += await raiseAlerts(db, now, keys, band.threshold, recipients, webhooks);
      if (keys.length < batchSize) break;
      cursor = keys[keys.length - 1]!.id;
    }
  }
  return result;
}

/** How many transacting MIDs a meta key serves now: all below its owner, or its custom selection. */
async function midCount(db: Db, key: ScannedKey): Promise<number | null> {
  if (!key.metaScope) return null;
  if (key.metaScope === "ALL") return db.organization.count({ where: midsBelowWhere(key.org) });
  return db.metaKeyAssignment.count({ where: { keyId: key.id } });
}

/** The orgs among `orgIds` with a webhook set up (URL and secret), as lib/alerts/webhook.ts `orgWebhook` sees it. */
async function orgsWithWebhook(db: Db, orgIds: string[]): Promise<Set<string>> {
  const rows = await db.orgSettings.findMany({
    where: { orgId: { in: orgIds }, webhookUrl: { not: null }, webhookSecret: { not: null } },
    select: { orgId: true },
  });
  return new Set(rows.map((r) => r.orgId));
}

/**
 * A batch's alerts and their deliveries in one transaction: keys whose alert exists already
 * (another runner, a restart) are skipped by the unique (keyId, thresholdDays). Returns how
 * many were raised.
 */
async function raiseAlerts(
  db: Db,
  now: Date,
  keys: ScannedKey[],
  thresholdDays: number,
  recipients: Map<string, string[]>,
  webhooks: Map<string, boolean>,
): Promise<number> {
  if (!keys.length) return 0;
  const mids = new Map<string, number | null>();
  for (const key of keys) if (key.metaScope) mids.set(key.id, await midCount(db, key));
  const byId = new Map(keys.map((k) => [k.id, k]));
  return db.$transaction(async (tx) => {
    const alerts = await tx.expiryAlert.createManyAndReturn({
      data: keys.map((key) => ({
        keyId: key.id,
        orgId: key.orgId,
        thresholdDays,
        daysLeft: daysLeft(key.expiresAt, now),
        keyName: key.name,
        keyType: key.type,
        environment: key.environment,
        expiresAt: key.expiresAt,
        metaKey: key.metaScope !== null,
        midCount: mids.get(key.id) ?? null,
        createdAt: now,
      })),
      skipDuplicates: true,
      select: { id: true, keyId: true },
    });
    if (!alerts.length) return 0;
    await tx.alertDelivery.createMany({
      data: alerts.flatMap((alert) => {
        const orgId = byId.get(alert.keyId)!.orgId;
        const base = { alertId: alert.id, nextAttemptAt: now, createdAt: now };
        return [
          { ...base, channel: "IN_APP" as const, recipient: "org" },
          ...(recipients.get(orgId) ?? []).map((email) => ({ ...base, channel: "EMAIL" as const, recipient: email })),
          ...(webhooks.get(orgId) ? [{ ...base, channel: "WEBHOOK" as const, recipient: "webhook" }] : []),
        ];
      }),
      skipDuplicates: true,
    });
    return alerts.length;
  });
}
