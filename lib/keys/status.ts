export type KeyStatus = "Active" | "Inactive";

/** Status is derived, never stored: Active = not deactivated, not deleted, not yet expired. */
export function keyStatus(
  key: { deactivatedAt: Date | null; deletedAt: Date | null; expiresAt: Date },
  now: Date = new Date(),
): KeyStatus {
  return !key.deactivatedAt && !key.deletedAt && key.expiresAt > now ? "Active" : "Inactive";
}
