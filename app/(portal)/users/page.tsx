import type { Metadata } from "next";
import Link from "next/link";
import { UsersTable } from "@/components/users/users-table";
import { buttonClass } from "@/components/ui/button";
import { PageLinks } from "@/components/ui/page-links";
import { requirePageSession } from "@/lib/auth/page";
import { holdsAll } from "@/lib/auth/grants";
import { assignableRoles, listUsers, USERS_PAGE_SIZE } from "@/lib/auth/users";
import { formatDate } from "@/lib/format";
import { pageParam } from "@/lib/validation";

export const metadata: Metadata = { title: "Users" };

type UserRow = Awaited<ReturnType<typeof listUsers>>["rows"][number];

/** Invited and not yet accepted: no password yet. */
const invited = (u: UserRow) => u._count.accounts === 0;

function statusOf(u: UserRow, now: Date): string {
  if (u.disabled) return "Disabled";
  if (invited(u)) {
    const live = u.invitations[0];
    return live && live.expiresAt > now ? `Invited (until ${formatDate(live.expiresAt)})` : "Invitation expired";
  }
  return u.lockedUntil && u.lockedUntil > now ? "Locked" : "Active";
}

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("users.manage");
  const requested = pageParam(await searchParams);
  const [result, roles] = await Promise.all([
    listUsers(session.actingOrg, { page: requested }),
    assignableRoles(session),
  ]);
  const users = result.rows;
  const now = new Date();
  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">Users</h1>
        <Link href="/users/new" className={buttonClass("primary", "ml-auto")}>
          + Create user
        </Link>
      </div>
      <UsersTable
        caption={`Users of ${session.actingOrg.id} and below`}
        roles={roles}
        rows={users.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          orgId: u.orgId,
          roleId: u.role.id,
          roleName: u.role.name,
          status: statusOf(u, now),
          openSessions: u._count.sessions,
          // People whose role holds more than the caller's are not theirs to manage.
          canManage: u.id !== session.user.id && holdsAll(session.permissions, u.role.permissions),
          twoFactorEnabled: u.twoFactorEnabled,
          invited: invited(u),
          disabled: u.disabled,
        }))}
      />
      <PageLinks page={result.page} pageCount={result.pageCount} href={(p) => `/users?page=${p}`}>
        <span role="status">
          {result.total === 0
            ? "No users"
            : `Showing ${(result.page - 1) * USERS_PAGE_SIZE + 1}–${(result.page - 1) * USERS_PAGE_SIZE + users.length} of ${result.total} user${result.total === 1 ? "" : "s"} · Page ${result.page} of ${result.pageCount}`}
        </span>
      </PageLinks>
    </div>
  );
}
