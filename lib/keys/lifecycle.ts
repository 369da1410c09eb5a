import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { selfAndAncestors, type OrgRef } from "@/lib/orgs/hierarchy";
import type { ServiceContext } from "@/lib/context";
import { requireKeyPermissions } from "./permissions";
import { keyStatus } from "./status";
import { keyType } from "./types";

/**
 * Deactivate and Delete. The caller (a server action) has checked the permission for the
 * key's owner org; these check what the key's type adds to it (registry: extraPermission),
 * the key itself, and write the change and its audit record in one transaction. A key of
 * another org, or a deleted one, is "not found" (no hint that it exists elsewhere).
 */
const GONE = () => new AppError("NOT_FOUND", "This key does not exist or has been deleted.");

async function loadKey(ctx: ServiceContext, keyId: string) {
  const key = await prisma.key.findUnique({ where: { id: keyId } });
  if (!key || key.deletedAt || key.orgId !== ctx.org.id) {
    throw GONE();
  }
  return key;
}

/**
 * One change to a key that is not deleted (and matches `where`), with its audit record, in one
 * transaction. The update is conditional: of two concurrent changes one wins and the other is
 * told `lost` (default: the key is gone).
 */
async function changeKey(
  ctx: ServiceContext,
  key: { id: string; orgId: string },
  change: {
    where?: Prisma.KeyWhereInput;
    data: Prisma.KeyUncheckedUpdateManyInput;
    lost?: () => AppError;
    action: string;
    details: Prisma.InputJsonObject;
  },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const updated = await tx.key.updateMany({
      where: { ...change.where, id: key.id, deletedAt: null },
      data: change.data,
    });
    if (updated.count !== 1) throw (change.lost ?? GONE)();
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: key.orgId,
      action: change.action,
      targetType: "key",
      targetId: key.id,
      details: change.details,
    });
  });
}

export async function deactivateKey({ ctx, keyId }: { ctx: ServiceContext; keyId: string }) {
  const key = await loadKey(ctx, keyId);
  requireKeyPermissions(ctx, key.type, "keys.deactivate");
  const spec = keyType(key.type);
  if (!spec.deactivatable) {
    throw new AppError(
      "NOT_DEACTIVATABLE",
      `${spec.label} keys cannot be deactivated. Only PGP, message-level encryption and Secure Acceptance keys can; delete this key instead.`,
    );
  }
  const now = ctx.now ?? new Date();
  if (keyStatus(key, now) === "Inactive") throw new AppError("ALREADY_INACTIVE", "This key is already inactive.");
  await changeKey(ctx, key, {
    where: { deactivatedAt: null },
    data: { deactivatedAt: now },
    lost: () => new AppError("ALREADY_INACTIVE", "This key is already inactive."),
    action: "key.deactivate",
    details: { type: key.type, name: key.name },
  });
  return prisma.key.findUniqueOrThrow({ where: { id: key.id } });
}

/** Delete: the key stops working at once (the gateway only accepts keys without deletedAt). */
export async function deleteKey({ ctx, keyId }: { ctx: ServiceContext; keyId: string }) {
  const key = await loadKey(ctx, keyId);
  requireKeyPermissions(ctx, key.type, "keys.delete");
  const now = ctx.now ?? new Date();
  await changeKey(ctx, key, {
    data: { deletedAt: now },
    action: "key.delete",
    details: { type: key.type, name: key.name },
  });
}

/** Key Information: the key (any status, not deleted) and its history from the audit log. */
export async function getKeyInformation(keyId: string) {
  const key = await prisma.key.findUnique({ where: { id: keyId }, include: { org: true } });
  if (!key || key.deletedAt) return null;
  const history = await prisma.auditEvent.findMany({
    where: { targetType: "key", targetId: keyId },
    orderBy: { seq: "desc" },
    take: 50,
    select: { seq: true, at: true, action: true, actorEmail: true, result: true, ip: true },
  });
  return { key, history };
}

/** Who may be a key's custodian (B6): enabled users of the key's org or of an org above it. */
export async function custodianCandidates(org: OrgRef) {
  return prisma.user.findMany({
    where: { orgId: { in: selfAndAncestors(org) }, disabled: false },
    orderBy: { email: "asc" },
    take: 500,
    select: { id: true, email: true, name: true, orgId: true },
  });
}

type KeyPeopleIds = { createdById: string | null; custodianId: string | null };

/** The emails of the people some keys name (who created them, their custodians), by user ID, in one query. */
export async function peopleOf(keys: KeyPeopleIds[]): Promise<Map<string, string>> {
  const ids = [...new Set(keys.flatMap((k) => [k.createdById, k.custodianId]))].filter((id): id is string => !!id);
  if (ids.length === 0) return new Map();
  const users = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u.email]));
}

/** The people a key names: who created it and its custodian, by email (null when none or gone). */
export async function keyPeople(key: KeyPeopleIds) {
  const emails = await peopleOf([key]);
  const email = (id: string | null) => (id ? (emails.get(id) ?? null) : null);
  return { createdBy: email(key.createdById), custodian: email(key.custodianId) };
}

const NOT_A_CUSTODIAN = "Choose an active user of this organization or of an organization above it.";

/**
 * Checks that `custodianId` (null: none) may look after keys of `org`: an enabled user of it
 * or of an org above it. Returns their email; throws a field error otherwise.
 */
export async function checkCustodian(org: OrgRef, custodianId: string | null | undefined): Promise<string | null> {
  if (!custodianId) return null;
  const user = await prisma.user.findUnique({
    where: { id: custodianId },
    select: { email: true, disabled: true, orgId: true },
  });
  if (!user || user.disabled || !selfAndAncestors(org).includes(user.orgId)) {
    throw new AppError("INVALID_INPUT", NOT_A_CUSTODIAN, { custodianId: NOT_A_CUSTODIAN });
  }
  return user.email;
}

/**
 * Names (or clears, with null) the key's custodian: the person who looks after it. Must be an
 * enabled user who may act for the key's org. Audited in the same transaction.
 */
export async function setKeyCustodian({
  ctx,
  keyId,
  custodianId,
}: {
  ctx: ServiceContext;
  keyId: string;
  custodianId: string | null;
}) {
  const key = await loadKey(ctx, keyId);
  const custodianEmail = await checkCustodian(ctx.org, custodianId);
  await changeKey(ctx, key, { data: { custodianId }, action: "key.custodian", details: { custodian: custodianEmail } });
  return { keyId: key.id, custodian: custodianEmail };
}
