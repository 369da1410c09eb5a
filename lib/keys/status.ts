import type { Prisma } from "@/lib/generated/prisma/client";

export type KeyStatus = "Active" | "Inactive";

/** Status is derived, never stored: Active = not deactivated, not deleted, not yet expired. */
export function keyStatus(
  key: { deactivatedAt: Date | null; deletedAt: Date | null; expiresAt: Date },
  now: Date = new Date(),
): KeyStatus {
  return !key.deactivatedAt && !key.deletedAt && key.expiresAt > now ? "Active" : "Inactive";
}

/** The same rule as a Prisma filter (for keys that are not deleted). */
export function statusWhere(status: "active" | "inactive", now: Date): Prisma.KeyWhereInput {
  return status === "active"
    ? { deactivatedAt: null, expiresAt: { gt: now } }
    : { OR: [{ deactivatedAt: { not: null } }, { expiresAt: { lte: now } }] };
}
