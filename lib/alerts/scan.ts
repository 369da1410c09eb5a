import type { Db } from "@/lib/db";
import type { KeyType, Environment, MetaScope } from "@/lib/generated/prisma/enums";
import { midsBelowWhere } from "@/lib/orgs/mids";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { adminEmailsOf } from "./recipients";
import { orgWebhook } from "./webhook";
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
 * that still need an alert are read. The alert and its deliveries are written in one
 * transaction; the unique (keyId, thresholdDays) turns a second insert (another runner, a
 * restart) into nothing.
 */
export async function scanExpiringKeys(db: Db, now: Date, opts: ScanOptions = {}): Promise<ScanResult> {
  const batchSize = opts.batchSize ?? 500;
  const result: ScanResult = { alerts: 0 };
  const recipients = new Map<string, Promise<string[]>>();
  const webhooks = new Map<string, Promise<boolean>>();
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
      for (const key of keys) {
        if (!recipients.has(key.orgId)) recipients.set(key.orgId, adminEmailsOf(db, key.org));
        if (!webhooks.has(key.orgId)) webhooks.set(key.orgId, orgWebhook(db, key.orgId).then(Boolean));
        const raised = await raiseAlert(db, now, key, band.threshold, daysLeft(key.expiresAt, now), {
          emails: await recipients.get(key.orgId)!,
          webhook: await webhooks.get(key.orgId)!,
        });
        if (raised) result.alerts += 1;
      }
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

/** The alert and its deliveries, or nothing when it exists already. Says whether it was raised. */
async function raiseAlert(
  db: Db,
  now: Date,
  key: ScannedKey,
  thresholdDays: number,
  days: number,
  to: { emails: string[]; webhook: boolean },
): Promise<boolean> {
  const mids = await midCount(db, key);
  return db.$transaction(async (tx) => {
    const [alert] = await tx.expiryAlert.createManyAndReturn({
      data: [
        {
          keyId: key.id,
          orgId: key.orgId,
          thresholdDays,
          daysLeft: days,
          keyName: key.name,
          keyType: key.type,
          environment: key.environment,
          expiresAt: key.expiresAt,
          metaKey: key.metaScope !== null,
          midCount: mids,
          createdAt: now,
        },
      ],
      skipDuplicates: true,
      select: { id: true },
    });
    if (!alert) return false;
    const base = { alertId: alert.id, nextAttemptAt: now, createdAt: now };
    await tx.alertDelivery.createMany({
      data: [
        { ...base, channel: "IN_APP" as const, recipient: "org" },
        ...to.emails.map((email) => ({ ...base, channel: "EMAIL" as const, recipient: email })),
        ...(to.webhook ? [{ ...base, channel: "WEBHOOK" as const, recipient: "webhook" }] : []),
      ],
      skipDuplicates: true,
    });
    return true;
  });
}
