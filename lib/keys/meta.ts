import { z } from "zod";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { prisma, type Tx } from "@/lib/db";
import { type Key, Prisma } from "@/lib/generated/prisma/client";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { midsBelowSql, midsBelowWhere, type MidFilter } from "@/lib/orgs/mids";
import { MID_COUNT_CAP } from "@/lib/orgs/settings";
import { cappedCountLabel } from "@/lib/pagination";
import type { ServiceContext } from "@/lib/context";
import { MidFilterSchema } from "./meta-request";
import { keyType } from "./types";

/**
 * Meta keys (guide: "Meta Key Creation and Management"). A portfolio or merchant account
 * creates a key for many transacting MIDs: "All current and future Merchant IDs" is a flag
 * on the key (metaScope ALL), resolved through the hierarchy when a request arrives; a
 * "Custom Merchant ID selection" is rows of meta_key_assignments, never extended to MIDs
 * created later. Assignment changes are audited with counts, not one row per MID.
 */
export const META_DISABLED_MESSAGE =
  "The meta key feature is turned off for this organization. An administrator can turn it on under Settings.";

/** Who may hold meta keys, of which types, and whether the feature is on: refuses otherwise. */
export async function assertMetaAllowed(tx: Tx | typeof prisma, owner: OrgRef, type: Key["type"]): Promise<void> {
  if (owner.type === "MERCHANT") {
    throw new AppError("META_NOT_ALLOWED", "Transacting MIDs cannot create meta keys.");
  }
  if (!keyType(type).metaCapable) {
    throw new AppError("META_NOT_ALLOWED", `${keyType(type).label} keys cannot be meta keys.`);
  }
  const settings = await tx.orgSettings.findUnique({ where: { orgId: owner.id } });
  if (settings && !settings.metaKeysEnabled) throw new AppError("META_DISABLED", META_DISABLED_MESSAGE);
}

/**
 * Of `mids`, up to `limit` that a custom selection of `owner`'s would leave out (not transacting
 * MIDs below it: addAssignments' own rule), for callers that refuse a request naming any.
 */
export async function midsNotBelow(owner: OrgRef, mids: readonly string[], limit = 10): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ mid: string }[]>`
    SELECT DISTINCT m."mid" FROM unnest(${mids}::text[]) AS m("mid")
     WHERE NOT EXISTS (SELECT 1 FROM "organizations" o WHERE o."id" = m."mid" AND ${midsBelowSql(owner)})
     ORDER BY m."mid" LIMIT ${limit}`;
  return rows.map((r) => r.mid);
}

/** Adds MIDs to a key's custom selection; only transacting MIDs below the owner are taken. */
async function addAssignments(
  tx: Tx,
  key: Pick<Key, "id">,
  owner: OrgRef,
  req: { mids: string[]; allMatching?: MidFilter },
  { fresh = false }: { fresh?: boolean } = {},
) {
  // A key made in this transaction has no rows yet, and one INSERT … SELECT of distinct
  // organizations cannot collide with itself: without ON CONFLICT's speculative insertion,
  // assigning 1,000,000 MIDs is ~20 % faster. Otherwise (an edit, or both sources) rows may exist.
  const conflicts = !fresh || (req.mids.length > 0 && !!req.allMatching);
  const onConflict = conflicts ? Prisma.sql`ON CONFLICT DO NOTHING` : Prisma.empty;
  let added = 0;
  if (req.mids.length > 0) {
    added += await tx.$executeRaw`
      INSERT INTO "meta_key_assignments" ("keyId", "mid")
      SELECT ${key.id}, o."id" FROM "organizations" o
       WHERE o."id" = ANY(${req.mids}::text[]) AND ${midsBelowSql(owner)}
      ${onConflict}`;
  }
  if (req.allMatching) {
    added += await tx.$executeRaw`
      INSERT INTO "meta_key_assignments" ("keyId", "mid")
      SELECT ${key.id}, o."id" FROM "organizations" o WHERE ${midsBelowSql(owner, req.allMatching)}
      ${onConflict}`;
  }
  return added;
}

/**
 * Called by every key creator inside its transaction, right after the key row is written:
 * applies `ctx.meta` (scope and custom MIDs) or, for a regeneration, copies the original's
 * scope and assignments. No-op for a regular key.
 */
export async function applyMetaOnCreate(
  tx: Tx,
  ctx: ServiceContext,
  key: Pick<Key, "id" | "type">,
): Promise<Pick<Key, "metaScope" | "regeneratedFromId">> {
  if (ctx.regenerateFrom) {
    const original = await tx.key.findUnique({ where: { id: ctx.regenerateFrom } });
    if (!original || original.deletedAt || original.orgId !== ctx.org.id || !original.metaScope) {
      throw new AppError("NOT_FOUND", "The meta key to regenerate does not exist.");
    }
    if (original.type !== key.type) throw new AppError("INVALID_INPUT", "A regenerated key keeps its key type.");
    const successor = await tx.key.findUnique({ where: { regeneratedFromId: original.id }, select: { id: true } });
    if (successor) {
      throw new AppError("CONFLICT", `Meta key ${original.id} was already regenerated as ${successor.id}.`);
    }
    await assertMetaAllowed(tx, ctx.org, key.type);
    await tx.key.update({
      where: { id: key.id },
      data: { metaScope: original.metaScope, regeneratedFromId: original.id },
    });
    const copied = await tx.$executeRaw`
      INSERT INTO "meta_key_assignments" ("keyId", "mid")
      SELECT ${key.id}, "mid" FROM "meta_key_assignments" WHERE "keyId" = ${original.id}`;
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "key.meta.regenerate",
      targetType: "key",
      targetId: key.id,
      details: { regeneratedFrom: original.id, scope: original.metaScope, mids: copied },
    });
    return { metaScope: original.metaScope, regeneratedFromId: original.id };
  }
  if (!ctx.meta) return { metaScope: null, regeneratedFromId: null };
  await assertMetaAllowed(tx, ctx.org, key.type);
  await tx.key.update({ where: { id: key.id }, data: { metaScope: ctx.meta.scope } });
  const added = ctx.meta.scope === "CUSTOM" ? await addAssignments(tx, key, ctx.org, ctx.meta, { fresh: true }) : 0;
  if (ctx.meta.scope === "CUSTOM" && added === 0) {
    throw new AppError(
      "NO_MIDS",
      "Choose at least one transacting merchant ID, or All current and future Merchant IDs.",
    );
  }
  await recordAudit(tx, {
    ...ctx.actor,
    orgId: ctx.org.id,
    action: "key.meta.assign",
    targetType: "key",
    targetId: key.id,
    details: { scope: ctx.meta.scope, added },
  });
  return { metaScope: ctx.meta.scope, regeneratedFromId: null };
}

/** Edit Key (M3): the Meta Key box, All current and future MIDs / Custom MID selection, add/remove. */
export const MetaEditSchema = z.union([
  z.object({ meta: z.literal(false) }),
  z.object({ meta: z.literal(true), scope: z.literal("ALL") }),
  z.object({
    meta: z.literal(true),
    scope: z.literal("CUSTOM"),
    add: z.array(z.string().trim().min(1).max(100)).max(200_000).default([]),
    addAllMatching: MidFilterSchema.optional(),
    remove: z.array(z.string().trim().min(1).max(100)).max(200_000).default([]),
  }),
]);
export type MetaEdit = z.infer<typeof MetaEditSchema>;

export async function editMetaKey({ ctx, keyId, edit }: { ctx: ServiceContext; keyId: string; edit: MetaEdit }) {
  return prisma.$transaction(async (tx) => {
    // Lock the key row: two editors of one selection apply one after the other, losing nothing.
    const rows = await tx.$queryRaw<Key[]>`SELECT * FROM "keys" WHERE "id" = ${keyId} FOR UPDATE`;
    const key = rows[0];
    if (!key || key.deletedAt || key.orgId !== ctx.org.id) {
      throw new AppError("NOT_FOUND", "This key does not exist or has been deleted.");
    }
    const before = key.metaScope;
    let added = 0;
    let removed = 0;
    if (!edit.meta) {
      // Unchecking Meta Key: every assignment goes; the key stays, as a regular key.
      removed = await tx.metaKeyAssignment.deleteMany({ where: { keyId } }).then((r) => r.count);
      await tx.key.update({ where: { id: keyId }, data: { metaScope: null } });
    } else {
      await assertMetaAllowed(tx, ctx.org, key.type);
      if (edit.scope === "ALL") {
        removed = await tx.metaKeyAssignment.deleteMany({ where: { keyId } }).then((r) => r.count);
      } else {
        added = await addAssignments(tx, key, ctx.org, { mids: edit.add, allMatching: edit.addAllMatching });
        if (edit.remove.length) {
          // One statement with the list as one array parameter (Prisma's `in` sends a bind
          // parameter per MID, in chunks of 32,767: four DELETEs for 100,000 MIDs).
          removed = await tx.$executeRaw`
            DELETE FROM "meta_key_assignments" WHERE "keyId" = ${keyId} AND "mid" = ANY(${edit.remove}::text[])`;
        }
        const left = await tx.metaKeyAssignment.count({ where: { keyId } });
        if (left === 0) {
          throw new AppError(
            "NO_MIDS",
            "A custom selection needs at least one merchant ID. Add one, or uncheck Meta Key.",
          );
        }
      }
      await tx.key.update({ where: { id: keyId }, data: { metaScope: edit.scope } });
    }
    const after = edit.meta ? edit.scope : null;
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "key.meta.update",
      targetType: "key",
      targetId: keyId,
      details: { from: before ?? "regular", to: after ?? "regular", added, removed },
    });
    return { scope: after, added, removed };
  });
}

/**
 * The MIDs a key serves: "all" for ALL (counted through the hierarchy), or its rows; counted up
 * to MID_COUNT_CAP (`text` says "more than" past it).
 */
export async function metaCoverage(key: Pick<Key, "id" | "metaScope">, owner: OrgRef) {
  if (!key.metaScope) return null;
  const take = MID_COUNT_CAP + 1;
  const count =
    key.metaScope === "ALL"
      ? await prisma.organization.count({ where: midsBelowWhere(owner), take })
      : await prisma.metaKeyAssignment.count({ where: { keyId: key.id }, take });
  return {
    all: key.metaScope === "ALL",
    count: Math.min(count, MID_COUNT_CAP),
    /** "1 MID", "12,345 MIDs", "more than 100,000 MIDs". */
    text: cappedCountLabel(count, MID_COUNT_CAP, "MID", "MIDs"),
  };
}

/** A MID's view: the meta keys that cover it now (ALL of its portfolio/account, or assigned). */
export async function metaKeysCovering(mid: OrgRef & { status?: string }) {
  const owners = [mid.portfolioId, mid.accountId].filter((x): x is string => !!x);
  return prisma.key.findMany({
    where: {
      deletedAt: null,
      orgId: { in: owners },
      org: { OR: [{ settings: null }, { settings: { metaKeysEnabled: true } }] },
      OR: [{ metaScope: "ALL" }, { metaScope: "CUSTOM", assignments: { some: { mid: mid.id } } }],
    },
    orderBy: { expiresAt: "asc" },
    select: {
      id: true,
      name: true,
      type: true,
      orgId: true,
      metaScope: true,
      expiresAt: true,
      deactivatedAt: true,
      deletedAt: true,
    },
  });
}
