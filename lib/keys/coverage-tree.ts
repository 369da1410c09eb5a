import { prisma } from "@/lib/db";
import { type Key, Prisma } from "@/lib/generated/prisma/client";
import type { OrgRef } from "@/lib/orgs/hierarchy";

export { coverageLabel, midCount } from "./coverage-labels";

/**
 * A picture of a meta key's coverage (issue 17): the owner's hierarchy (portfolio → accounts →
 * transacting MIDs) with the covered MIDs marked. Never loads every MID: the accounts come with
 * their counts from one grouped query, an account's MIDs page by page when it is opened (and,
 * for the first page's small accounts, up front in one query). A node with more than
 * TREE_PAGE children starts collapsed and shows its counts.
 */
export const TREE_PAGE = 50;

export type CoverageKey = Pick<Key, "id" | "metaScope">;

export interface CoverageMid {
  id: string;
  name: string;
  covered: boolean;
}

/** An account below the owner (or `id: null`, the MIDs directly under the portfolio). */
export interface CoverageGroup {
  id: string | null;
  name: string;
  total: number;
  covered: number;
  /** The first page of its MIDs when it has at most TREE_PAGE of them (shown open). */
  mids?: CoverageMid[];
}

export interface CoverageTree {
  owner: { id: string; name: string; type: OrgRef["type"] };
  all: boolean;
  total: number;
  covered: number;
  /** Children of the owner: accounts of a portfolio (one page), or null for an account (its MIDs are its children). */
  groups: CoverageGroup[] | null;
  groupCount: number;
  groupPage: number;
  /** An account owner's MIDs, first page, when it has at most TREE_PAGE. */
  mids?: CoverageMid[];
}

type OwnerRef = OrgRef & { name?: string };

/** MIDs below the owner, as SQL over `organizations o`. */
function below(owner: OrgRef): Prisma.Sql {
  if (owner.type === "PORTFOLIO") return Prisma.sql`o."type" = 'MERCHANT' AND o."portfolioId" = ${owner.id}`;
  if (owner.type === "ACCOUNT") return Prisma.sql`o."type" = 'MERCHANT' AND o."accountId" = ${owner.id}`;
  return Prisma.sql`false`;
}

/** Whether each MID row is covered: ALL covers every MID below; CUSTOM its assignment rows. */
function coveredJoin(key: CoverageKey): { join: Prisma.Sql; covered: Prisma.Sql } {
  if (key.metaScope === "ALL") return { join: Prisma.empty, covered: Prisma.sql`true` };
  return {
    join: Prisma.sql`LEFT JOIN "meta_key_assignments" m ON m."keyId" = ${key.id} AND m."mid" = o."id"`,
    covered: Prisma.sql`(m."mid" IS NOT NULL)`,
  };
}

/** The tree's first level with counts (one grouped query), and the MIDs of its small nodes. */
export async function coverageTree(
  key: CoverageKey,
  owner: OwnerRef,
  { groupPage = 1 }: { groupPage?: number } = {},
): Promise<CoverageTree | null> {
  if (!key.metaScope || (owner.type !== "PORTFOLIO" && owner.type !== "ACCOUNT")) return null;
  const name = owner.name ?? (await prisma.organization.findUnique({ where: { id: owner.id } }))?.name ?? owner.id;
  const base = { owner: { id: owner.id, name, type: owner.type }, all: key.metaScope === "ALL" };
  const { join, covered } = coveredJoin(key);

  if (owner.type === "ACCOUNT") {
    const [row] = await prisma.$queryRaw<{ total: number; covered: number }[]>`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE ${covered})::int AS covered
        FROM "organizations" o ${join} WHERE ${below(owner)}`;
    const total = row?.total ?? 0;
    const mids = total <= TREE_PAGE ? (await coverageMids(key, owner, owner.id, 1)).mids : undefined;
    return { ...base, total, covered: row?.covered ?? 0, groups: null, groupCount: 0, groupPage: 1, mids };
  }

  // One grouped query: every account's MID count and covered count (accounts without MIDs are left out).
  const rows = await prisma.$queryRaw<{ id: string | null; name: string | null; total: number; covered: number }[]>`
    WITH g AS (
      SELECT o."accountId" AS id, count(*)::int AS total, count(*) FILTER (WHERE ${covered})::int AS covered
        FROM "organizations" o ${join}
       WHERE ${below(owner)}
       GROUP BY o."accountId")
    SELECT g.id, a."name", g.total, g.covered
      FROM g LEFT JOIN "organizations" a ON a."id" = g.id
     ORDER BY g.id NULLS LAST`;
  const total = rows.reduce((s, r) => s + r.total, 0);
  const coveredAll = rows.reduce((s, r) => s + r.covered, 0);
  const pageCount = Math.max(1, Math.ceil(rows.length / TREE_PAGE));
  const page = Math.min(Math.max(1, groupPage), pageCount);
  const groups: CoverageGroup[] = rows.slice((page - 1) * TREE_PAGE, page * TREE_PAGE).map((r) => ({
    id: r.id,
    name: r.id ? (r.name ?? r.id) : `Directly under ${owner.id}`,
    total: r.total,
    covered: r.covered,
  }));
  await preloadSmall(key, owner, groups);
  return { ...base, total, covered: coveredAll, groups, groupCount: rows.length, groupPage: page };
}

/** The MIDs of the page's small accounts (≤ TREE_PAGE each, so ≤ 2,500 rows), in one query. */
async function preloadSmall(key: CoverageKey, owner: OrgRef, groups: CoverageGroup[]) {
  const small = groups.filter((g) => g.total <= TREE_PAGE);
  const ids = small.flatMap((g) => (g.id ? [g.id] : []));
  const direct = small.some((g) => g.id === null);
  if (ids.length === 0 && !direct) return;
  const { join, covered } = coveredJoin(key);
  const rows = await prisma.$queryRaw<{ accountId: string | null; id: string; name: string; covered: boolean }[]>`
    SELECT o."accountId", o."id", o."name", ${covered} AS covered
      FROM "organizations" o ${join}
     WHERE ${below(owner)} AND (o."accountId" = ANY(${ids}::text[]) ${direct ? Prisma.sql`OR o."accountId" IS NULL` : Prisma.empty})
     ORDER BY o."id"`;
  for (const g of small) g.mids = [];
  const byId = new Map(small.map((g) => [g.id, g]));
  for (const r of rows) byId.get(r.accountId)?.mids?.push({ id: r.id, name: r.name, covered: r.covered });
}

/**
 * One page of an account's MIDs (or, with `account` null, of the MIDs directly under the
 * portfolio), each marked covered or not. An account outside the owner gives no rows.
 */
export async function coverageMids(key: CoverageKey, owner: OrgRef, account: string | null, page: number) {
  if (!key.metaScope) return { mids: [] as CoverageMid[], page: 1, hasMore: false };
  const { join, covered } = coveredJoin(key);
  const inGroup = account === null ? Prisma.sql`o."accountId" IS NULL` : Prisma.sql`o."accountId" = ${account}`;
  const rows = await prisma.$queryRaw<CoverageMid[]>`
    SELECT o."id", o."name", ${covered} AS covered
      FROM "organizations" o ${join}
     WHERE ${below(owner)} AND ${inGroup}
     ORDER BY o."id"
     LIMIT ${TREE_PAGE + 1} OFFSET ${(page - 1) * TREE_PAGE}`;
  return { mids: rows.slice(0, TREE_PAGE), page, hasMore: rows.length > TREE_PAGE };
}
