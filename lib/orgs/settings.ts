import { recordAudit } from "@/lib/audit";
import { prisma } from "@/lib/db";
import type { KeyServiceContext } from "@/lib/keys/context";
import { midsBelowWhere } from "./mids";
import type { OrgRef } from "./hierarchy";

/** What turning the meta-key feature off would stop: active meta keys and the MIDs they serve. */
export async function metaKeyImpact(org: OrgRef, now = new Date()) {
  const active = {
    orgId: org.id,
    deletedAt: null,
    deactivatedAt: null,
    expiresAt: { gt: now },
    metaScope: { not: null },
  } as const;
  const [keys, allKeys, customMids, allMids] = await Promise.all([
    prisma.key.count({ where: active }),
    prisma.key.count({ where: { ...active, metaScope: "ALL" } }),
    prisma.metaKeyAssignment.findMany({ where: { key: active }, distinct: ["mid"], select: { mid: true } }),
    prisma.organization.count({ where: midsBelowWhere(org) }),
  ]);
  return { keys, mids: allKeys > 0 ? allMids : customMids.length };
}

/** M5: the per-organization meta-key switch, audited in the same transaction. */
export async function setMetaKeysEnabled({ ctx, enabled }: { ctx: KeyServiceContext; enabled: boolean }) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.orgSettings.upsert({
      where: { orgId: ctx.org.id },
      create: { orgId: ctx.org.id },
      update: {},
    });
    await tx.orgSettings.update({ where: { orgId: ctx.org.id }, data: { metaKeysEnabled: enabled } });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "settings.meta_keys",
      targetType: "organization",
      targetId: ctx.org.id,
      details: { from: before.metaKeysEnabled, to: enabled },
    });
    return { enabled };
  });
}
