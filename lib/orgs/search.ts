import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { OrgRef } from "./hierarchy";

/** Where-clause for "the org itself and every org below it". */
export function orgsWithin(org: OrgRef): Prisma.OrganizationWhereInput {
  if (org.type === "PORTFOLIO") return { OR: [{ id: org.id }, { portfolioId: org.id }] };
  if (org.type === "ACCOUNT") return { OR: [{ id: org.id }, { accountId: org.id }] };
  return { id: org.id };
}

/** Orgs the actor may switch to whose ID or name contains `query`; paginated in the database. */
export async function searchOrgsWithin(org: OrgRef, query: string, take = 20) {
  const q = query.trim();
  return prisma.organization.findMany({
    where: {
      AND: [
        orgsWithin(org),
        q ? { OR: [{ id: { contains: q, mode: "insensitive" } }, { name: { contains: q, mode: "insensitive" } }] } : {},
      ],
    },
    orderBy: [{ type: "asc" }, { id: "asc" }],
    take,
    select: { id: true, name: true, type: true },
  });
}

export async function getOrg(id: string) {
  return prisma.organization.findUnique({ where: { id } });
}
