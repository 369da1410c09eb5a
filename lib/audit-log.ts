import { z } from "zod";
import { auditHashInput, GENESIS_HASH, sha256Hex } from "@/lib/audit";
import { isAuditActionCode } from "@/lib/audit-actions";
import { csvLine } from "@/lib/csv";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { scopeWhere } from "@/lib/orgs/scope";
import { COUNT_CAP, pageInfo } from "@/lib/pagination";
import {
  checkDateRange,
  dropInvalidFilters,
  firstCharacters,
  firstParam,
  parseParams,
  safeText,
} from "@/lib/validation";

/** The Audit page: list, export and verify the append-only, hash-chained audit log. */

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_RESULTS = ["success", "failure"] as const;

export interface AuditFilters {
  /** An action code (lib/audit-actions.ts) is matched exactly; other text is "action contains", e.g. "role.". */
  action?: string;
  /** Actor email contains. */
  actor?: string;
  result?: (typeof AUDIT_RESULTS)[number];
  /** YYYY-MM-DD, inclusive, UTC. */
  from?: string;
  to?: string;
}

type Params = Record<string, string | string[] | undefined>;

/** A filter value: trimmed, then at most 200 whole characters; empty is no filter. */
const filterValue = z
  .string()
  .trim()
  .transform((s) => firstCharacters(s, 200) || undefined);

const auditDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Enter a date as YYYY-MM-DD.");

const FIELDS = {
  /** Unsupported characters are looked for after the cut. */
  action: filterValue.pipe(safeText().optional()),
  actor: filterValue.pipe(safeText().optional()),
  /** "all" is no filter. */
  result: filterValue
    .pipe(z.enum(["all", ...AUDIT_RESULTS], { error: "Choose Success, Failure or All." }).optional())
    .transform((r) => (r === "all" ? undefined : r)),
  from: filterValue.pipe(auditDate.optional()),
  to: filterValue.pipe(auditDate.optional()),
} satisfies { [K in keyof AuditFilters]-?: z.ZodType<AuditFilters[K], string> };

/** The page: a whole number from 1 to 1,000,000; anything else is page 1, never an error. */
const pageNumber = filterValue.transform((s) => Math.max(1, Math.min(1_000_000, Number.parseInt(s ?? "1", 10) || 1)));

/** Filters and page from the URL; unknown or malformed values are reported, not guessed. */
export function parseAuditFilters(params: Params): {
  filters: AuditFilters;
  page: number;
  errors: Record<string, string>;
} {
  const { values: filters, errors } = parseParams(params, FIELDS);
  checkDateRange(filters, errors);
  return { filters, page: pageNumber.parse(firstParam(params, "page") ?? "1"), errors };
}

/** What the page says when a filter's value in the URL is left out. */
const FALLBACK_NOTICES: Record<keyof AuditFilters, string> = {
  action: "The action in the link is not one of the list's actions, so all actions are shown.",
  actor: "The Who text in the link has characters that cannot be searched for, so it is not used.",
  result: "The result in the link is not Success or Failure, so all results are shown.",
  from: "The From date in the link is not a date, so the search starts at the first event.",
  to: "The To date in the link is not a date, so the search runs to the newest event.",
};

/**
 * The Audit page's reading of the URL: a filter value that is not valid (or, for Action, not
 * one of the list's actions) is left out, so the search runs with that filter's default, and
 * a plain sentence says so; never the validation text of a hand-edited link.
 */
export function auditFiltersOrDefaults(params: Params): { filters: AuditFilters; page: number; notices: string[] } {
  const { filters, page, errors } = parseAuditFilters(params);
  if (filters.action && !isAuditActionCode(filters.action)) errors.action = "unknown";
  const notices = dropInvalidFilters(
    filters,
    errors,
    FALLBACK_NOTICES,
    "The To date in the link is before the From date, so the search runs to the newest event.",
  );
  return { filters, page, notices };
}

export function auditFiltersToParams(filters: AuditFilters, page?: number): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of ["action", "actor", "result", "from", "to"] as const) {
    const v = filters[key];
    if (v) p.set(key, v);
  }
  if (page && page > 1) p.set("page", String(page));
  return p;
}

/**
 * The where-clause: events of `scope` and the orgs below it (one indexed equality on the
 * record's scope columns, lib/orgs/scope.ts), narrowed by the filters.
 */
function auditWhere(scope: OrgRef, filters: AuditFilters): Prisma.AuditEventWhereInput {
  const at: Prisma.DateTimeFilter = {};
  if (filters.from) at.gte = new Date(`${filters.from}T00:00:00.000Z`);
  if (filters.to) at.lt = new Date(Date.parse(`${filters.to}T00:00:00.000Z`) + 86_400_000);
  return {
    ...scopeWhere(scope, "orgId"),
    ...(filters.action
      ? isAuditActionCode(filters.action)
        ? { action: filters.action }
        : { action: { contains: filters.action, mode: "insensitive" } }
      : {}),
    ...(filters.actor ? { actorEmail: { contains: filters.actor, mode: "insensitive" } } : {}),
    ...(filters.result ? { result: filters.result } : {}),
    ...(at.gte || at.lt ? { at } : {}),
  };
}

/** Is a record within `scope`: read from the record itself, no look-up. */
function recordWithin(scope: OrgRef, row: Pick<ChainRow, "orgId" | "scopePortfolioId" | "scopeAccountId">): boolean {
  if (scope.type === "PORTFOLIO") return row.scopePortfolioId === scope.id;
  if (scope.type === "ACCOUNT") return row.scopeAccountId === scope.id;
  return row.orgId === scope.id;
}

export interface AuditRow {
  seq: string;
  at: Date;
  actorEmail: string | null;
  orgId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  details: Prisma.JsonValue;
}

/** A row without its details: what the Audit page's table shows (details are in the CSV export). */
export function withoutDetails(row: AuditRow): Omit<AuditRow, "details"> {
  const { seq, at, actorEmail, orgId, action, targetType, targetId, result, ip, userAgent } = row;
  return { seq, at, actorEmail, orgId, action, targetType, targetId, result, ip, userAgent };
}

const rowSelect = {
  seq: true,
  at: true,
  actorEmail: true,
  orgId: true,
  action: true,
  targetType: true,
  targetId: true,
  result: true,
  ip: true,
  userAgent: true,
  details: true,
} as const;

function toRow(r: Prisma.AuditEventGetPayload<{ select: typeof rowSelect }>): AuditRow {
  return { ...r, seq: r.seq.toString() };
}

/** One page of events, newest first, counted (up to a cap) and fetched in the database. */
export async function listAuditEvents({
  scope,
  filters,
  page = 1,
  pageSize = AUDIT_PAGE_SIZE,
}: {
  scope: OrgRef;
  filters: AuditFilters;
  page?: number;
  pageSize?: number;
}) {
  const where = auditWhere(scope, filters);
  // Counted up to COUNT_CAP (lib/pagination.ts): a page past the counted ones is clamped only
  // when the count is exact; beyond it, one row of look-ahead says whether Next goes on.
  const counted = await prisma.auditEvent.count({ where, take: COUNT_CAP + 1 });
  const exactPages = Math.max(1, Math.ceil(counted / pageSize));
  const current = counted > COUNT_CAP ? page : Math.min(page, exactPages);
  const fetched = await prisma.auditEvent.findMany({
    where,
    orderBy: { seq: "desc" },
    skip: (current - 1) * pageSize,
    take: pageSize + 1,
    select: rowSelect,
  });
  const rows = fetched.slice(0, pageSize).map(toRow);
  return { rows, ...pageInfo(counted, current, pageSize, fetched.length > pageSize) };
}

export const AUDIT_CSV_COLUMNS = [
  "seq",
  "time",
  "actor",
  "org",
  "action",
  "target type",
  "target",
  "result",
  "ip",
  "user agent",
  "details",
] as const;

function auditCsvLine(row: AuditRow): string {
  return csvLine([
    row.seq,
    row.at.toISOString(),
    row.actorEmail,
    row.orgId,
    row.action,
    row.targetType,
    row.targetId,
    row.result,
    row.ip,
    row.userAgent,
    JSON.stringify(row.details ?? {}),
  ]);
}

/** The filtered events as CSV, newest first, read in batches (keyset on seq), one chunk per batch. */
export async function* exportAuditCsv({
  scope,
  filters,
  batchSize = 1000,
}: {
  scope: OrgRef;
  filters: AuditFilters;
  batchSize?: number;
}): AsyncGenerator<string> {
  const where = auditWhere(scope, filters);
  yield csvLine(AUDIT_CSV_COLUMNS);
  let before: bigint | null = null;
  for (;;) {
    const batch: Prisma.AuditEventGetPayload<{ select: typeof rowSelect }>[] = await prisma.auditEvent.findMany({
      where: before === null ? where : { AND: [where, { seq: { lt: before } }] },
      orderBy: { seq: "desc" },
      take: batchSize,
      select: rowSelect,
    });
    if (batch.length === 0) return;
    yield batch.map((r) => auditCsvLine(toRow(r))).join("");
    if (batch.length < batchSize) return;
    before = batch[batch.length - 1]!.seq;
  }
}

/**
 * What Verify chain tells the caller: `checked` counts only records of the caller's scope
 * (when one is given); a broken record outside it is reported without its number.
 */
export type ChainReport =
  { intact: true; checked: number } | { intact: false; checked: number; brokenSeq: string | null };

type ChainRow = Prisma.AuditEventGetPayload<object>;

function hashMatches(prevHash: string, row: ChainRow): boolean {
  // auditHashInput hashes `details` in canonical (key-sorted) form, so jsonb's own key order
  // on the way back does not matter; any change of content does.
  return sha256Hex(auditHashInput(prevHash, row)) === row.hash;
}

/**
 * Recomputes every record's hash from the one before it, oldest first, in batches. Reports
 * the first record whose link or hash does not hold (changed, inserted or deleted rows).
 * The chain is one for the installation, so all of it is checked; with `scope`, only the
 * records of the scope's organizations are counted and named (by the record's own scope
 * columns: no look-up of organizations, whatever their number).
 */
export async function verifyAuditChain({
  scope,
  batchSize = 1000,
}: { scope?: OrgRef; batchSize?: number } = {}): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let checked = 0;
  let after: bigint | null = null;
  for (;;) {
    const batch: ChainRow[] = await prisma.auditEvent.findMany({
      where: after === null ? {} : { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of batch) {
      const counted = !scope || recordWithin(scope, row);
      if (row.prevHash !== prev || !hashMatches(prev, row)) {
        return { intact: false, checked, brokenSeq: counted ? row.seq.toString() : null };
      }
      prev = row.hash;
      if (counted) checked++;
    }
    if (batch.length < batchSize) return { intact: true, checked };
    after = batch[batch.length - 1]!.seq;
  }
}
