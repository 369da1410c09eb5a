import type { Metadata } from "next";
import Link from "next/link";
import { ChangeRoleButton } from "@/components/users/change-role-button";
import { ResetSecondFactorButton } from "@/components/users/reset-second-factor-button";
import { ResendInvitationButton } from "@/components/users/resend-invitation-button";
import { DisableUserButton } from "@/components/users/user-row-actions";
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
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Users of {session.actingOrg.id} and below</caption>
          <thead className="bg-slate-50 text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">
                Email
              </th>
              <th scope="col" className="px-3 py-2">
                Name
              </th>
              <th scope="col" className="px-3 py-2">
                Organization
              </th>
              <th scope="col" className="px-3 py-2">
                Role
              </th>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
              <th scope="col" className="px-3 py-2">
                Open sessions
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100">
                <td className="px-3 py-2">{u.email}</td>
                <td className="px-3 py-2">{u.name}</td>
                <td className="px-3 py-2 font-mono">{u.orgId}</td>
                <td className="px-3 py-2">{u.role.name}</td>
                <td className="px-3 py-2">{statusOf(u, now)}</td>
                <td className="px-3 py-2">{u._count.sessions}</td>
                <td className="px-3 py-2 text-right">
                  {/* People whose role holds more than the caller's are not theirs to manage. */}
                  {u.id !== session.user.id && holdsAll(session.permissions, u.role.permissions) && (
                    <span className="inline-flex gap-2">
                      <ChangeRoleButton userId={u.id} email={u.email} roleId={u.role.id} roles={roles} />
                      {u.twoFactorEnabled && <ResetSecondFactorButton userId={u.id} email={u.email} />}
                      {invited(u) && !u.disabled && <ResendInvitationButton userId={u.id} email={u.email} />}
                      <DisableUserButton userId={u.id} email={u.email} disabled={u.disabled} />
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
