import { recordAudit } from "@/lib/audit";
import { prisma } from "@/lib/db";
import type { ServiceContext } from "@/lib/context";
import { deliverDue } from "./deliver";
import { scanExpiringKeys } from "./scan";
import { defaultTransports, type AlertTransports } from "./transports";

/** The in-app notification list (per org, one read mark for the org) and the demo outbox. */
type Ctx = Pick<ServiceContext, "actor" | "org">;
const NOTIFICATIONS_PER_PAGE = 50;

export async function listNotifications({ orgId, page = 1 }: { orgId: string; page?: number }) {
  const where = { orgId };
  const [total, unread, rows] = await Promise.all([
    prisma.notification.count({ where }),
    prisma.notification.count({ where: { orgId, readAt: null } }),
    prisma.notification.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * NOTIFICATIONS_PER_PAGE,
      take: NOTIFICATIONS_PER_PAGE,
      include: { alert: { select: { keyName: true, metaKey: true, midCount: true, expiresAt: true } } },
    }),
  ]);
  return { total, unread, rows, page, pageCount: Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE)) };
}

export function unreadNotificationCount(orgId: string) {
  return prisma.notification.count({ where: { orgId, readAt: null } });
}

export async function markAllNotificationsRead({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({
      where: { orgId: ctx.org.id, readAt: null },
      data: { readAt: now },
    });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "notifications.read_all",
      targetType: "organization",
      targetId: ctx.org.id,
      details: { count },
    });
    return { count };
  });
}

/** One notification of the org read; another org's (or an unknown one) changes nothing. */
export async function markNotificationRead({ ctx, id, now = new Date() }: { ctx: Ctx; id: string; now?: Date }) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({
      where: { id, orgId: ctx.org.id, readAt: null },
      data: { readAt: now },
    });
    if (count > 0) {
      await recordAudit(tx, {
        ...ctx.actor,
        orgId: ctx.org.id,
        action: "notifications.read",
        targetType: "notification",
        targetId: id,
      });
    }
    return { count };
  });
}

/** "Check now": the runner's work for this org alone, at once, audited. */
export async function checkExpiringKeysNow({
  ctx,
  now = new Date(),
  transports = defaultTransports(),
}: {
  ctx: Ctx;
  now?: Date;
  transports?: AlertTransports;
}) {
  const scanned = await scanExpiringKeys(prisma, now, { orgId: ctx.org.id });
  const delivered = await deliverDue(prisma, now, transports, { orgId: ctx.org.id });
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "notifications.check",
      targetType: "organization",
      targetId: ctx.org.id,
      details: { alerts: scanned.alerts, sent: delivered.sent, failed: delivered.failed, retrying: delivered.retrying },
    }),
  );
  return { alerts: scanned.alerts, ...delivered };
}

export async function listOutbox({ orgId, take = 50 }: { orgId: string; take?: number }) {
  return prisma.outboxEmail.findMany({ where: { orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
}
