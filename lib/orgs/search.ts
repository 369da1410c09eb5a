import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { OrgRef } from "./hierarchy";

/** Where-clause for "the org itself and every org below it". */
export function orgsWithin(org: OrgRef): Prisma.OrganizationWhereInput {
  if (org.type === "PORTFOLIO") return { OR: [{ id: org.id }, { portfolioId: org.id }] };
  if (org.type === "ACCOUNT") return { OR: [{ id: org.id }, { accountId: org.id }] };
  return { id: org.id };
}

/**
 * Orgs the actor may switch to whose ID or name contains `query`, in the order Switch merchant
 * lists them (type, then ID): the org itself, then those below it read in index order
 * (organizations (portfolioId|accountId, type, id)), so the first `take` cost O(take) rather
 * than a sort of every org below: a portfolio has 1,000,000 MIDs at the scale bench's size.
 */
export async function searchOrgsWithin(org: OrgRef, query: string, take = 20) {
  const q = query.trim();
  const matching: Prisma.OrganizationWhereInput = q
    ? { OR: [{ id: { contains: q, mode: "insensitive" } }, { name: { contains: q, mode: "insensitive" } }] }
    : {};
  const select = { id: true, name: true, type: true } as const;
  const self = await prisma.organization.findFirst({ where: { AND: [{ id: org.id }, matching] }, select });
  const below =
    org.type === "PORTFOLIO" ? { portfolioId: org.id } : org.type === "ACCOUNT" ? { accountId: org.id } : null;
  const rest =
    below && take > (self ? 1 : 0)
      ? await prisma.organization.findMany({
          where: { AND: [below, matching] },
          orderBy: [{ type: "asc" }, { id: "asc" }],
          take: take - (self ? 1 : 0),
          select,
        })
      : [];
  return self ? [self, ...rest] : rest;
}

export async function getOrg(id: string) {
  return prisma.organization.findUnique({ where: { id } });
}
