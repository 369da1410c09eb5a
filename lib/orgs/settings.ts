import { recordAudit } from "@/lib/audit";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ServiceContext } from "@/lib/context";
import { cappedCountLabel } from "@/lib/pagination";
import { midsBelowWhere } from "./mids";
import type { OrgRef } from "./hierarchy";

/** MID counts past this are shown as "more than" (an exact count of 1,000,000 MIDs was ~100+ ms of a page). */
export const MID_COUNT_CAP = 100_000;

/**
 * What turning the meta-key feature off would stop: active meta keys and the MIDs they serve
 * (every MID below when one serves all current and future MIDs, else the distinct MIDs of the
 * custom selections), counted up to MID_COUNT_CAP.
 */
export async function metaKeyImpact(org: OrgRef, now = new Date()) {
  const active = {
    orgId: org.id,
    deletedAt: null,
    deactivatedAt: null,
    expiresAt: { gt: now },
    metaScope: { not: null },
  } as const;
  const [keys, allKeys] = await Promise.all([
    prisma.key.count({ where: active }),
    prisma.key.count({ where: { ...active, metaScope: "ALL" } }),
  ]);
  const counted =
    allKeys > 0
      ? await prisma.organization.count({ where: midsBelowWhere(org), take: MID_COUNT_CAP + 1 })
      : keys === 0
        ? 0
        : Number(
            (
              await prisma.$queryRaw<{ n: bigint }[]>`
                SELECT count(*) AS n FROM (
                  SELECT DISTINCT a."mid" FROM "meta_key_assignments" a JOIN "keys" k ON k."id" = a."keyId"
                   WHERE k."orgId" = ${org.id} AND k."deletedAt" IS NULL AND k."deactivatedAt" IS NULL
                     AND k."expiresAt" > ${now.toISOString()}::timestamp AND k."metaScope" IS NOT NULL
                   LIMIT ${MID_COUNT_CAP + 1}) t`
            )[0]!.n,
          );
  const more = counted > MID_COUNT_CAP;
  return {
    keys,
    mids: Math.min(counted, MID_COUNT_CAP),
    more,
    midsText: cappedCountLabel(counted, MID_COUNT_CAP, "merchant ID", "merchant IDs"),
  };
}

/** The org's own settings row, or null while it has none (every setting at its default). */
export async function orgSettingsOf(orgId: string) {
  return prisma.orgSettings.findUnique({ where: { orgId } });
}

/** The org's Secure Acceptance security profiles, by name. */
export async function securityProfilesOf(orgId: string) {
  return prisma.securityProfile.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
}

type OrgSettingsRow = Prisma.OrgSettingsGetPayload<object>;

/**
 * The one way an org's settings change: the row as it was (created with the defaults when
 * missing), the change, and its audit record (`details` from the row before), in one
 * transaction.
 */
export async function updateOrgSettings(
  ctx: Pick<ServiceContext, "actor" | "org">,
  action: string,
  data: Prisma.OrgSettingsUpdateInput,
  details: (before: OrgSettingsRow) => Prisma.InputJsonObject,
) {
  await prisma.$transaction(async (tx) => {
    const before = await tx.orgSettings.upsert({
      where: { orgId: ctx.org.id },
      create: { orgId: ctx.org.id },
      update: {},
    });
    await tx.orgSettings.update({ where: { orgId: ctx.org.id }, data });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action,
      targetType: "organization",
      targetId: ctx.org.id,
      details: details(before),
    });
  });
}

/** M5: the per-organization meta-key switch. */
export async function setMetaKeysEnabled({ ctx, enabled }: { ctx: ServiceContext; enabled: boolean }) {
  await updateOrgSettings(ctx, "settings.meta_keys", { metaKeysEnabled: enabled }, (before) => ({
    from: before.metaKeysEnabled,
    to: enabled,
  }));
  return { enabled };
}

/** A2: require a second factor of everyone in the org and in every org below it. */
export async function setRequireMfa({ ctx, required }: { ctx: ServiceContext; required: boolean }) {
  await updateOrgSettings(ctx, "settings.require_mfa", { requireMfa: required }, (before) => ({
    from: before.requireMfa,
    to: required,
  }));
  return { required };
}

/**
 * What to read of an org to know who requires a second factor of its people: its own
 * setting and its parent's and grandparent's (a MID's account and portfolio). Part of the
 * session's one query, so resolving a session costs no extra round trip.
 */
export const MFA_CHAIN = {
  id: true,
  settings: { select: { requireMfa: true } },
  parent: {
    select: {
      id: true,
      settings: { select: { requireMfa: true } },
      parent: { select: { id: true, settings: { select: { requireMfa: true } } } },
    },
  },
} as const;
type MfaChain = Prisma.OrganizationGetPayload<{ select: typeof MFA_CHAIN }>;

/** The nearest org of the chain (itself, then up) that requires a second factor, or null. */
export function nearestMfaRequirer(org: MfaChain): string | null {
  const chain = [org, org.parent, org.parent?.parent];
  return chain.find((o) => o?.settings?.requireMfa)?.id ?? null;
}

/**
 * The org that requires a second factor of people in `org`: `org` itself or the account or
 * portfolio above it (the nearest first), or null when none does.
 */
export async function mfaRequiredBy(org: OrgRef): Promise<string | null> {
  const row = await prisma.organization.findUnique({ where: { id: org.id }, select: MFA_CHAIN });
  return row ? nearestMfaRequirer(row) : null;
}
