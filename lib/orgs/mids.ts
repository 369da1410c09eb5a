import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgRef } from "./hierarchy";

/**
 * The transacting MIDs below a portfolio or merchant account (never `_acct` IDs): the
 * Add Custom Merchant IDs table, served and filtered in the database. Ancestors are columns
 * (portfolioId, accountId), so "below X" is one indexed equality.
 */
export interface MidFilter {
  mid?: string;
  name?: string;
  account?: string;
  status?: "ACTIVE" | "INACTIVE";
}

export function midsBelowWhere(owner: OrgRef, f: MidFilter = {}): Prisma.OrganizationWhereInput {
  const below =
    owner.type === "PORTFOLIO" ? { portfolioId: owner.id } : owner.type === "ACCOUNT" ? { accountId: owner.id } : null;
  if (!below) return { id: { in: [] } };
  return {
    ...below,
    type: "MERCHANT",
    ...(f.mid ? { id: { contains: f.mid.trim(), mode: "insensitive" as const } } : {}),
    ...(f.name ? { name: { contains: f.name.trim(), mode: "insensitive" as const } } : {}),
    ...(f.account ? { accountId: owner.type === "ACCOUNT" ? owner.id : f.account.trim() } : {}),
    ...(f.status ? { status: f.status } : {}),
  };
}

/** The same filter as SQL over `organizations o`, for INSERT … SELECT of "all matching". */
export function midsBelowSql(owner: OrgRef, f: MidFilter = {}): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`o."type" = 'MERCHANT'`];
  if (owner.type === "PORTFOLIO") parts.push(Prisma.sql`o."portfolioId" = ${owner.id}`);
  else if (owner.type === "ACCOUNT") parts.push(Prisma.sql`o."accountId" = ${owner.id}`);
  else parts.push(Prisma.sql`false`);
  if (f.mid) parts.push(Prisma.sql`o."id" ILIKE ${`%${escapeLike(f.mid.trim())}%`}`);
  if (f.name) parts.push(Prisma.sql`o."name" ILIKE ${`%${escapeLike(f.name.trim())}%`}`);
  if (f.account) parts.push(Prisma.sql`o."accountId" = ${f.account.trim()}`);
  if (f.status) parts.push(Prisma.sql`o."status" = ${f.status}::"OrgStatus"`);
  return Prisma.join(parts, " AND ");
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchMids(input: { owner: OrgRef; filter?: MidFilter; page?: number; perPage?: number }) {
  const perPage = input.perPage ?? 25;
  const where = midsBelowWhere(input.owner, input.filter);
  const [total, rows] = await Promise.all([
    prisma.organization.count({ where }),
    prisma.organization.findMany({
      where,
      orderBy: { id: "asc" },
      skip: ((input.page ?? 1) - 1) * perPage,
      take: perPage,
      select: { id: true, name: true, accountId: true, status: true },
    }),
  ]);
  return { total, rows, page: input.page ?? 1, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}
