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

type AlertOrg = { id: string; accountId: string | null; portfolioId: string | null };

export async function adminEmailsOf(db: Db, org: AlertOrg): Promise<string[]> {
  return (await adminEmailsOfMany(db, [org])).get(org.id) ?? [];
}

/**
 * The recipients of several orgs at once (the scan asks for a batch of keys' orgs): one query
 * for the enabled administrators of every org in their chains (at most three IDs per org).
 */
export async function adminEmailsOfMany(db: Db, orgs: AlertOrg[]): Promise<Map<string, string[]>> {
  const chains = new Map(orgs.map((o) => [o.id, selfAndAncestors(o)]));
  const ids = [...new Set([...chains.values()].flat())];
  const users = ids.length
    ? await db.user.findMany({
        where: { orgId: { in: ids }, disabled: false, role: { permissions: { has: ALERT_RECIPIENT_PERMISSION } } },
        orderBy: { email: "asc" },
        select: { email: true, orgId: true },
      })
    : [];
  const byOrg = new Map<string, string[]>();
  for (const u of users) byOrg.set(u.orgId, [...(byOrg.get(u.orgId) ?? []), u.email.toLowerCase()]);
  const result = new Map<string, string[]>();
  for (const [id, chain] of chains) {
    const nearest = chain.find((c) => byOrg.has(c));
    result.set(id, nearest ? byOrg.get(nearest)! : []);
  }
  return result;
}
