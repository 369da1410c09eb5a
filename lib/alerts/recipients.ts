import type { Db } from "@/lib/db";
import type { Permission } from "@/lib/auth/permissions";
import { selfAndAncestors } from "@/lib/orgs/hierarchy";

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
  const chain = selfAndAncestors(org);
  const users = await db.user.findMany({
    where: { orgId: { in: chain }, disabled: false, role: { permissions: { has: ALERT_RECIPIENT_PERMISSION } } },
    orderBy: { email: "asc" },
    select: { email: true, orgId: true },
  });
  const nearest = chain.find((id) => users.some((u) => u.orgId === id));
  return users.filter((u) => u.orgId === nearest).map((u) => u.email.toLowerCase());
}
