import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Environment } from "@/lib/generated/prisma/enums";
import type { KeySearchFilters } from "./search-options";
import { statusWhere } from "./status";
import { TYPES_IN_ALL } from "./types";

export * from "./search-options";

const DAY = 86_400_000;
const startOfDay = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const endOfDay = (iso: string) => new Date(startOfDay(iso).getTime() + DAY - 1);

function createdRange(f: KeySearchFilters, now: Date): Prisma.DateTimeFilter | undefined {
  const days = { last7: 7, last30: 30, last90: 90, last365: 365 } as Record<string, number>;
  if (f.createdAt === "all") return undefined;
  if (f.createdAt === "custom") {
    return {
      ...(f.createdStart ? { gte: startOfDay(f.createdStart) } : {}),
      ...(f.createdEnd ? { lte: endOfDay(f.createdEnd) } : {}),
    };
  }
  return { gte: new Date(now.getTime() - days[f.createdAt]! * DAY) };
}

function expiresRange(f: KeySearchFilters, now: Date): Prisma.DateTimeFilter | undefined {
  const days = { next7: 7, next30: 30, next60: 60, next90: 90, next365: 365 } as Record<string, number>;
  if (f.expiresIn === "all") return undefined;
  if (f.expiresIn === "custom") {
    return {
      ...(f.expiresStart ? { gte: startOfDay(f.expiresStart) } : {}),
      ...(f.expiresEnd ? { lte: endOfDay(f.expiresEnd) } : {}),
    };
  }
  return { gte: now, lte: new Date(now.getTime() + days[f.expiresIn]! * DAY) };
}

export const ORDER: Record<KeySearchFilters["sort"], Prisma.KeyOrderByWithRelationInput[]> = {
  expiring_soon: [{ expiresAt: "asc" }, { id: "asc" }],
  expiring_last: [{ expiresAt: "desc" }, { id: "desc" }],
  created_newest: [{ createdAt: "desc" }, { id: "desc" }],
  created_oldest: [{ createdAt: "asc" }, { id: "asc" }],
};

/**
 * The where-clause of a search of one org's keys in one environment. Searching by Key ID
 * finds that key whatever the date filters say (a person who types an ID wants that key).
 */
export function searchWhere(
  orgId: string,
  environment: Environment,
  f: KeySearchFilters,
  now: Date,
): Prisma.KeyWhereInput {
  const and: Prisma.KeyWhereInput[] = [{ orgId, environment, deletedAt: null }];
  if (f.keyId) {
    and.push({ id: f.keyId });
  } else {
    const created = createdRange(f, now);
    const expires = expiresRange(f, now);
    if (created) and.push({ createdAt: created });
    if (expires) and.push({ expiresAt: expires });
  }
  if (f.status !== "all") and.push(statusWhere(f.status, now));
  and.push({ type: f.type === "ALL" ? { in: TYPES_IN_ALL } : f.type });
  return { AND: and };
}

export const searchSelect = {
  id: true,
  name: true,
  type: true,
  orgId: true,
  environment: true,
  createdAt: true,
  expiresAt: true,
  deactivatedAt: true,
  deletedAt: true,
  metaScope: true,
} as const;

export type KeyRow = Prisma.KeyGetPayload<{ select: typeof searchSelect }>;

export interface KeySearchResult {
  rows: KeyRow[];
  total: number;
  page: number;
  pageCount: number;
}

/** One page of one org's keys, filtered, sorted and paginated in the database. */
export async function searchKeys(input: {
  orgId: string;
  environment: Environment;
  filters: KeySearchFilters;
  now?: Date;
}): Promise<KeySearchResult> {
  const now = input.now ?? new Date();
  const f = input.filters;
  const where = searchWhere(input.orgId, input.environment, f, now);
  const query = (page: number) =>
    prisma.key.findMany({
      where,
      orderBy: ORDER[f.sort],
      skip: (page - 1) * f.perPage,
      take: f.perPage,
      select: searchSelect,
    });
  // The count and the requested page in parallel (two pooled connections); only a page past
  // the end needs a second look, at the last page.
  const [total, requested] = await Promise.all([prisma.key.count({ where }), query(f.page)]);
  const pageCount = Math.max(1, Math.ceil(total / f.perPage));
  const page = Math.min(f.page, pageCount);
  const rows = page === f.page ? requested : await query(page);
  return { rows, total, page, pageCount };
}
