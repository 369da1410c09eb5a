"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { createContext, use } from "react";
import { DataTable } from "@/components/ui/data-table";
import { ChangeRoleButton } from "./change-role-button";
import { ResendInvitationButton } from "./resend-invitation-button";
import { ResetSecondFactorButton } from "./reset-second-factor-button";
import { DisableUserButton } from "./user-row-actions";

/** A Users row as the server prepared it (the status in words, what the viewer may do). */
export interface UserTableRow {
  id: string;
  email: string;
  name: string;
  orgId: string;
  roleId: string;
  roleName: string;
  /** "Active", "Locked", "Disabled", "Invited (until …)" or "Invitation expired". */
  status: string;
  openSessions: number;
  /** Someone else whose role holds nothing the viewer lacks: theirs to manage. */
  canManage: boolean;
  twoFactorEnabled: boolean;
  /** Invited and not yet accepted (no password yet). */
  invited: boolean;
  disabled: boolean;
}

type AssignableRole = { id: string; name: string };

/** The roles Change role offers; a context so that the columns stay one constant (no cell remounts). */
const RolesContext = createContext<AssignableRole[]>([]);

function UserActions({ user: u }: { user: UserTableRow }) {
  const roles = use(RolesContext);
  if (!u.canManage) return null;
  return (
    <span className="inline-flex gap-2">
      <ChangeRoleButton userId={u.id} email={u.email} roleId={u.roleId} roles={roles} />
      {u.twoFactorEnabled && <ResetSecondFactorButton userId={u.id} email={u.email} />}
      {u.invited && !u.disabled && <ResendInvitationButton userId={u.id} email={u.email} />}
      <DisableUserButton userId={u.id} email={u.email} disabled={u.disabled} />
    </span>
  );
}

const COLUMNS: ColumnDef<UserTableRow>[] = [
  { id: "email", header: "Email", accessorKey: "email" },
  { id: "name", header: "Name", accessorKey: "name" },
  { id: "org", header: "Organization", accessorKey: "orgId", meta: { className: "font-mono" } },
  { id: "role", header: "Role", accessorKey: "roleName" },
  { id: "status", header: "Status", accessorKey: "status" },
  { id: "sessions", header: "Open sessions", accessorKey: "openSessions" },
  {
    id: "actions",
    header: "Actions",
    cell: ({ row }) => <UserActions user={row.original} />,
    meta: { className: "text-right", srOnlyHeader: true },
  },
];

/** Users of the org acted for and below (one page; the server paginates). */
export function UsersTable({
  rows,
  roles,
  caption,
}: {
  rows: UserTableRow[];
  roles: AssignableRole[];
  caption: string;
}) {
  return (
    <RolesContext value={roles}>
      <DataTable
        columns={COLUMNS}
        data={rows}
        caption={caption}
        label="Users"
        getRowId={(u) => u.id}
        empty="No users"
      />
    </RolesContext>
  );
}
