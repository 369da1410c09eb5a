import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgRef } from "./hierarchy";

/**
 * Scoping a list by the hierarchy (issue 21) without ever loading the orgs below a portfolio:
 * a portfolio may have 100,000+ MIDs, and their IDs sent back as `orgId IN (…)` exceed the
 * database's bind-parameter limit (P2029) long before they are merely slow.
 *
 * - Tables that carry the scope columns (audit_events, gateway_transactions: set by a trigger
 *   on insert) are scoped by one indexed equality: `scopeWhere`.
 * - Other tables (users) are scoped per row by the org's own ancestor columns, read with a
 *   correlated primary-key lookup (`orgColumnWithin`): a list walks its sort index and stops
 *   after one page, whatever the number of orgs.
 */

/** The Prisma where of a row with scope columns: the org itself (by `orgColumn`) or below it. */
export function scopeWhere<K extends string>(
  scope: OrgRef,
  orgColumn: K,
): { scopePortfolioId: string } | { scopeAccountId: string } | Record<K, string> {
  if (scope.type === "PORTFOLIO") return { scopePortfolioId: scope.id };
  if (scope.type === "ACCOUNT") return { scopeAccountId: scope.id };
  return { [orgColumn]: scope.id } as Record<K, string>;
}

/**
 * SQL: the org named by `column` (e.g. Prisma.raw('u."orgId"')) is `scope` or below it. The
 * ancestor is read from that org's row by primary key for each row the query visits (a scalar
 * subquery is never turned into a hash of every org), so the cost follows the rows visited.
 */
export function orgColumnWithin(scope: OrgRef, column: Prisma.Sql): Prisma.Sql {
  if (scope.type === "PORTFOLIO")
    return Prisma.sql`(${column} = ${scope.id} OR (SELECT o."portfolioId" FROM "organizations" o WHERE o."id" = ${column}) = ${scope.id})`;
  if (scope.type === "ACCOUNT")
    return Prisma.sql`(${column} = ${scope.id} OR (SELECT o."accountId" FROM "organizations" o WHERE o."id" = ${column}) = ${scope.id})`;
  return Prisma.sql`${column} = ${scope.id}`;
}
