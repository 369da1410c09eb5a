import { AppError } from "@/lib/actions";
import { recordAudit } from "@/lib/audit";
import { prisma } from "@/lib/db";
import type { KeyServiceContext } from "./context";
import { keyStatus } from "./status";
import { keyType } from "./types";

/**
 * Deactivate and Delete. The caller (a server action) has checked the permission for the
 * key's owner org; these check the key itself and write the change and its audit record
 * in one transaction. A key of another org, or a deleted one, is "not found" (no hint that
 * it exists elsewhere).
 */
async function loadKey(ctx: KeyServiceContext, keyId: string) {
  const key = await prisma.key.findUnique({ where: { id: keyId } });
  if (!key || key.deletedAt || key.orgId !== ctx.org.id) {
    throw new AppError("NOT_FOUND", "This key does not exist or has been deleted.");
  }
  return key;
}

export async function deactivateKey({ ctx, keyId }: { ctx: KeyServiceContext; keyId: string }) {
  const key = await loadKey(ctx, keyId);
  const spec = keyType(key.type);
  if (!spec.deactivatable) {
    throw new AppError(
      "NOT_DEACTIVATABLE",
      `${spec.label} keys cannot be deactivated. Only PGP, message-level encryption and Secure Acceptance keys can; delete this key instead.`,
    );
  }
  const now = ctx.now ?? new Date();
  if (keyStatus(key, now) === "Inactive") throw new AppError("ALREADY_INACTIVE", "This key is already inactive.");
  return prisma.$transaction(async (tx) => {
    // Conditional update: of two concurrent deactivations, one wins and one is told.
    const updated = await tx.key.updateMany({
      where: { id: key.id, deactivatedAt: null, deletedAt: null },
      data: { deactivatedAt: now },
    });
    if (updated.count !== 1) throw new AppError("ALREADY_INACTIVE", "This key is already inactive.");
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: key.orgId,
      action: "key.deactivate",
      targetType: "key",
      targetId: key.id,
      details: { type: key.type, name: key.name },
    });
    return tx.key.findUniqueOrThrow({ where: { id: key.id } });
  });
}

/** Delete: the key stops working at once (the gateway only accepts keys without deletedAt). */
export async function deleteKey({ ctx, keyId }: { ctx: KeyServiceContext; keyId: string }) {
  const key = await loadKey(ctx, keyId);
  const now = ctx.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const updated = await tx.key.updateMany({ where: { id: key.id, deletedAt: null }, data: { deletedAt: now } });
    if (updated.count !== 1) throw new AppError("NOT_FOUND", "This key does not exist or has been deleted.");
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: key.orgId,
      action: "key.delete",
      targetType: "key",
      targetId: key.id,
      details: { type: key.type, name: key.name },
    });
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
