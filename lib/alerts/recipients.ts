import type { Db } from "@/lib/db";
import type { Permission } from "@/lib/auth/permissions";

/**
 * Who is emailed about an org's expiring keys: its administrators, i.e. enabled users of
 * the org whose role grants Manage users (the built-in Administrator role does). A
 * transacting MID or account without such a person of its own falls back to its merchant
 * account's, then its portfolio's administrators, who manage it.
 */
export const ALERT_RECIPIENT_PERMISSION: Permission = "users.manage";

export async function adminEmailsOf(
  db: Db,
  org: { id: string; accountId: string | null; portfolioId: string | null },
): Promise<string[]> {
  for (const orgId of [org.id, org.accountId, org.portfolioId]) {
    if (!orgId) continue;
    const users = await db.user.findMany({
      where: { orgId, disabled: false, role: { permissions: { has: ALERT_RECIPIENT_PERMISSION } } },
      orderBy: { email: "asc" },
      select: { email: true },
    });
    if (users.length > 0) return users.map((u) => u.email.toLowerCase());
  }
  return [];
}
