import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Environment, KeyType } from "@/lib/generated/prisma/enums";
import { KEY_TYPES, TYPES_IN_ALL } from "./types";

const DAY = 86_400_000;
export const EXPIRING_SOON_DAYS = 60;

/**
 * D1: the Security Keys panel, upcoming expirations per month and the inventory by type. The
 * months count the types Key Management's Key Type "All" searches, so a month's bar opens a
 * search that lists exactly its keys.
 */
export async function dashboardSummary(input: { orgId: string; environment: Environment; now?: Date }) {
  const now = input.now ?? new Date();
  const soon = new Date(now.getTime() + EXPIRING_SOON_DAYS * DAY);
  const active = { orgId: input.orgId, environment: input.environment, deletedAt: null, deactivatedAt: null };

  const [expiringCount, expiring, byType, perMonthRows] = await Promise.all([
    prisma.key.count({ where: { ...active, expiresAt: { gt: now, lte: soon } } }),
    prisma.key.findMany({
      where: { ...active, expiresAt: { gt: now, lte: soon } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: 8,
      select: {
        id: true,
        name: true,
        type: true,
        expiresAt: true,
        metaScope: true,
        _count: { select: { assignments: true } },
      },
    }),
    prisma.key.groupBy({ by: ["type"], where: { ...active, expiresAt: { gt: now } }, _count: { _all: true } }),
    prisma.$queryRaw<{ month: Date; count: bigint }[]>(Prisma.sql`
      SELECT date_trunc('month', "expiresAt") AS month, count(*) AS count
        FROM "keys"
       WHERE "orgId" = ${input.orgId} AND "environment" = ${input.environment}::"Environment"
         AND "deletedAt" IS NULL AND "deactivatedAt" IS NULL
         AND "type" = ANY(${TYPES_IN_ALL}::"KeyType"[])
         AND "expiresAt" > ${now} AND "expiresAt" < ${monthStart(now, 12)}
       GROUP BY 1`),
  ]);

  const counts = new Map(perMonthRows.map((r) => [r.month.toISOString().slice(0, 7), Number(r.count)]));
  const perMonth = Array.from({ length: 12 }, (_, i) => {
    const m = monthStart(now, i);
    return {
      month: m.toISOString().slice(0, 7),
      label: m.toLocaleString("en-US", { month: "short", year: "2-digit", timeZone: "UTC" }),
      count: counts.get(m.toISOString().slice(0, 7)) ?? 0,
    };
  });
  const typeCounts = new Map(byType.map((r) => [r.type, r._count._all]));
  const inventory = KEY_TYPES.map((t) => ({
    type: t.type as KeyType,
    label: t.searchLabel,
    count: typeCounts.get(t.type) ?? 0,
  }));
  return { now, expiringCount, expiring, perMonth, inventory };
}

function monthStart(now: Date, offset: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}
