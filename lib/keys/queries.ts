import { prisma } from "@/lib/db";

/**
 * Reads about one key that routes and actions need before they call a service: the org that
 * owns it (what permission and scope are checked against), its type, a page of its meta-key
 * assignments. Deleted keys are not found.
 */

/** The org that owns the key (not the org acted for), or null for a missing or deleted key. */
export async function keyOwner(keyId: string) {
  const key = await prisma.key.findUnique({ where: { id: keyId }, select: { org: true, deletedAt: true } });
  return key && !key.deletedAt ? key.org : null;
}

/** The key with its org (deleted or not: the caller decides), or null. */
export async function keyWithOrg(keyId: string) {
  return prisma.key.findUnique({ where: { id: keyId }, include: { org: true } });
}

/** The key made by regenerating this one (Regenerate meta key), or null. */
export async function regenerationOf(keyId: string) {
  return prisma.key.findUnique({ where: { regeneratedFromId: keyId }, select: { id: true } });
}

/**
 * A meta key to regenerate (not deleted), with its org, its count of custom MIDs and the key it
 * was already regenerated as (a key is regenerated once), or null. The caller checks that the
 * person may act for its org.
 */
export async function metaKeyToRegenerate(keyId: string) {
  return prisma.key.findFirst({
    where: { id: keyId, deletedAt: null, metaScope: { not: null } },
    include: { org: true, regeneratedAs: { select: { id: true } }, _count: { select: { assignments: true } } },
  });
}

/** The key's type, or null when there is no such key. */
export async function keyTypeOf(keyId: string) {
  return (await prisma.key.findUnique({ where: { id: keyId }, select: { type: true } }))?.type ?? null;
}

export const ASSIGNMENTS_PAGE_SIZE = 50;

/** A slice of a meta key's custom MID selection, in MID order, and the selection's size. */
export async function metaKeyAssignments({ keyId, offset, limit }: { keyId: string; offset: number; limit: number }) {
  const where = { keyId };
  const [total, rows] = await Promise.all([
    prisma.metaKeyAssignment.count({ where }),
    limit > 0
      ? prisma.metaKeyAssignment.findMany({
          where,
          orderBy: { mid: "asc" },
          skip: offset,
          take: limit,
          select: { mid: true },
        })
      : [],
  ]);
  return { total, mids: rows.map((r) => r.mid) };
}

/** One page of a meta key's custom MID selection, in MID order. */
export async function metaKeyAssignmentsPage({ keyId, page }: { keyId: string; page: number }) {
  const { total, mids } = await metaKeyAssignments({
    keyId,
    offset: (page - 1) * ASSIGNMENTS_PAGE_SIZE,
    limit: ASSIGNMENTS_PAGE_SIZE,
  });
  return { total, mids, pageCount: Math.max(1, Math.ceil(total / ASSIGNMENTS_PAGE_SIZE)) };
}
