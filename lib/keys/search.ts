import type { PortalSession } from "@/lib/auth/session";
import { readRows } from "@/lib/db";
import { canSwitchMerchant, mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";
import { getOrg } from "@/lib/orgs/search";
import type { Environment, KeyType, MetaScope } from "@/lib/generated/prisma/enums";
import type { KeySearchFilters } from "./search-options";
import { TYPES_IN_ALL } from "./types";

export * from "./search-options";
export * from "./search-filters";

/**
 * Key Management's search (D2–D5) as SQL sent to the driver: every search is two indexed
 * statements of a few tenths of a millisecond, and the ORM's fixed cost per statement was
 * larger than that (BENCHMARKS.md). One builder serves the Search Results and the export.
 */

const DAY = 86_400_000;
const startOfDay = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const endOfDay = (iso: string) => new Date(startOfDay(iso).getTime() + DAY - 1);

interface Range {
  gte?: Date;
  lte?: Date;
}

function createdRange(f: KeySearchFilters, now: Date): Range | undefined {
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

function expiresRange(f: KeySearchFilters, now: Date): Range | undefined {
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

/** Sort Order: each with the key ID as the tie-breaker, so pages never overlap. */
const ORDER: Record<KeySearchFilters["sort"], { column: '"expiresAt"' | '"createdAt"'; direction: "ASC" | "DESC" }> = {
  expiring_soon: { column: '"expiresAt"', direction: "ASC" },
  expiring_last: { column: '"expiresAt"', direction: "DESC" },
  created_newest: { column: '"createdAt"', direction: "DESC" },
  created_oldest: { column: '"createdAt"', direction: "ASC" },
};

/** A WHERE clause under construction: SQL text with $n placeholders and their values. */
class Where {
  readonly parts: string[] = [];
  readonly values: unknown[] = [];
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  add(sql: string) {
    this.parts.push(sql);
  }
  range(column: string, r: Range | undefined) {
    if (r?.gte) this.add(`${column} >= ${this.param(r.gte)}`);
    if (r?.lte) this.add(`${column} <= ${this.param(r.lte)}`);
  }
  get sql(): string {
    return this.parts.join(" AND ");
  }
}

/**
 * The search of one org's keys in one environment. Searching by Key ID finds that key
 * whatever the date filters say (a person who types an ID wants that key). Key Status follows
 * `keyStatus`: Active = not deactivated and not yet expired (deleted keys are never listed).
 */
export function searchWhere(
  orgId: string,
  environment: Environment,
  f: KeySearchFilters,
  now: Date,
  types?: readonly KeyType[],
): Where {
  const w = new Where();
  w.add(`"orgId" = ${w.param(orgId)}`);
  w.add(`"environment" = ${w.param(environment)}::"Environment"`);
  w.add(`"deletedAt" IS NULL`);
  if (f.keyId) {
    w.add(`"id" = ${w.param(f.keyId)}`);
  } else {
    w.range(`"createdAt"`, createdRange(f, now));
    w.range(`"expiresAt"`, expiresRange(f, now));
  }
  if (f.status === "active") w.add(`"deactivatedAt" IS NULL AND "expiresAt" > ${w.param(now)}`);
  if (f.status === "inactive") w.add(`("deactivatedAt" IS NOT NULL OR "expiresAt" <= ${w.param(now)})`);
  if (types) w.add(`"type" = ANY(${w.param(types)}::"KeyType"[])`);
  else if (f.type === "ALL") w.add(`"type" = ANY(${w.param(TYPES_IN_ALL)}::"KeyType"[])`);
  else w.add(`"type" = ${w.param(f.type)}::"KeyType"`);
  return w;
}

const ROW_COLUMNS = `"id", "name", "type", "orgId", "environment", "createdAt", "expiresAt", "deactivatedAt", "deletedAt", "metaScope"`;

export interface KeyRow {
  id: string;
  name: string;
  type: KeyType;
  orgId: string;
  environment: Environment;
  createdAt: Date;
  expiresAt: Date;
  deactivatedAt: Date | null;
  deletedAt: Date | null;
  metaScope: MetaScope | null;
}

/** A row of Search Results: with whether it was regenerated (a meta key is regenerated once). */
export interface KeyPageRow extends KeyRow {
  regenerated: boolean;
}

/** Per row of a page only (after LIMIT), by the unique index on "regeneratedFromId". */
const REGENERATED = `EXISTS (SELECT 1 FROM "keys" r WHERE r."regeneratedFromId" = "keys"."id") AS "regenerated"`;

export interface KeySearchResult {
  rows: KeyPageRow[];
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
  const { column, direction } = ORDER[f.sort];
  const n = where.values.length;
  const pageSql = `SELECT ${ROW_COLUMNS}, ${REGENERATED} FROM "keys" WHERE ${where.sql}
    ORDER BY ${column} ${direction}, "id" ${direction} LIMIT $${n + 1} OFFSET $${n + 2}`;
  const query = (page: number) => readRows<KeyPageRow>(pageSql, [...where.values, f.perPage, (page - 1) * f.perPage]);
  // The count and the requested page in parallel (two pooled connections); only a page past
  // the end needs a second look, at the last page.
  const [[count], requested] = await Promise.all([
    readRows<{ total: number }>(`SELECT count(*)::int AS "total" FROM "keys" WHERE ${where.sql}`, where.values),
    query(f.page),
  ]);
  const total = count!.total;
  const pageCount = Math.max(1, Math.ceil(total / f.perPage));
  const page = Math.min(f.page, pageCount);
  const rows = page === f.page ? requested : await query(page);
  return { rows, total, page, pageCount };
}

export interface KeyApiRow extends KeyRow {
  createdById: string | null;
  /** Who created the key, by email (null when none or gone): read with the page, no second round trip. */
  createdByEmail: string | null;
  details: Record<string, unknown>;
}

/**
 * The Key Management API's search (lib/kms, searchKeys): the portal's WHERE and order, a list
 * of types instead of Key Type, expiry bounds to the instant, by offset and limit.
 */
export async function searchKeysByOffset(input: {
  orgId: string;
  environment: Environment;
  filters: KeySearchFilters;
  types?: readonly KeyType[];
  expires?: Range;
  offset: number;
  limit: number;
  now?: Date;
}): Promise<{ rows: KeyApiRow[]; total: number }> {
  const now = input.now ?? new Date();
  const where = searchWhere(input.orgId, input.environment, input.filters, now, input.types);
  where.range(`"expiresAt"`, input.expires);
  const { column, direction } = ORDER[input.filters.sort];
  const n = where.values.length;
  const [[count], rows] = await Promise.all([
    readRows<{ total: number }>(`SELECT count(*)::int AS "total" FROM "keys" WHERE ${where.sql}`, where.values),
    readRows<KeyApiRow>(
      `SELECT ${ROW_COLUMNS}, "createdById", "details",
              (SELECT u."email" FROM "users" u WHERE u."id" = "keys"."createdById") AS "createdByEmail"
         FROM "keys" WHERE ${where.sql}
        ORDER BY ${column} ${direction}, "id" ${direction} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...where.values, input.limit, input.offset],
    ),
  ]);
  return { rows, total: count!.total };
}

export interface KeyExportRow extends KeyRow {
  createdById: string | null;
  custodianId: string | null;
  lastUsedAt: Date | null;
}

/**
 * Every key a search finds, in its order, `batchSize` at a time: keyset pagination on the
 * sort column and the key ID, so a million keys stream without OFFSET scans.
 */
export async function* searchAllKeys(input: {
  orgId: string;
  environment: Environment;
  filters: KeySearchFilters;
  now: Date;
  batchSize: number;
}): AsyncGenerator<KeyExportRow[]> {
  const { column, direction } = ORDER[input.filters.sort];
  const field = column === '"expiresAt"' ? "expiresAt" : "createdAt";
  let after: KeyExportRow | null = null;
  for (;;) {
    const where = searchWhere(input.orgId, input.environment, input.filters, input.now);
    if (after) {
      const cmp = direction === "ASC" ? ">" : "<";
      where.add(`(${column}, "id") ${cmp} (${where.param(after[field])}, ${where.param(after.id)})`);
    }
    const batch: KeyExportRow[] = await readRows<KeyExportRow>(
      `SELECT ${ROW_COLUMNS}, "createdById", "custodianId", "lastUsedAt" FROM "keys" WHERE ${where.sql}
        ORDER BY ${column} ${direction}, "id" ${direction} LIMIT $${where.values.length + 1}`,
      [...where.values, input.batchSize],
    );
    if (batch.length > 0) yield batch;
    if (batch.length < input.batchSize) return;
    after = batch[batch.length - 1]!;
  }
}

/**
 * Whose keys a search (or its export) shows: the org acted for, or, for portfolio and account
 * users, the merchant picked in the Merchant filter when they may act for it.
 */
export async function searchOrg(
  session: PortalSession,
  filters: KeySearchFilters,
): Promise<{ org: OrgRef; pickMerchant: boolean; error?: string }> {
  const pickMerchant = canSwitchMerchant(session.userOrg);
  const org = session.actingOrg;
  if (!pickMerchant || !filters.merchant || filters.merchant === org.id) return { org, pickMerchant };
  const chosen = await getOrg(filters.merchant);
  if (chosen && mayActFor(session.userOrg, chosen)) return { org: chosen, pickMerchant };
  return { org, pickMerchant, error: `No merchant ${filters.merchant} that you may see.` };
}
