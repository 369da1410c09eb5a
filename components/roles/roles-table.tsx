"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { DeleteRoleButton } from "./delete-role-button";

/** A Roles row as the server prepared it. */
export interface RoleTableRow {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  /** People in the viewer's org and the orgs below it who hold the role. */
  userCount: number;
}

function PencilIcon() {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className="size-4" fill="currentColor">
      <path d="M13.6 2.6a2 2 0 0 1 2.8 0l1 1a2 2 0 0 1 0 2.8L8 15.8 3 17l1.2-5 9.4-9.4Zm-8 10-.5 2.3 2.3-.5 7.6-7.6-1.8-1.8-7.6 7.6Z" />
    </svg>
  );
}

const COLUMNS: ColumnDef<RoleTableRow>[] = [
  {
    id: "edit",
    header: "Edit",
    cell: ({ row: { original: role } }) => (
      <Link href={`/roles/${role.id}`} aria-label={`Edit ${role.name}`} className={buttonClass("ghost", "px-2 py-1")}>
        <PencilIcon />
      </Link>
    ),
  },
  { id: "name", header: "Name", accessorKey: "name", meta: { className: "font-medium" } },
  { id: "description", header: "Description", accessorKey: "description", meta: { className: "text-slate-700" } },
  {
    id: "type",
    header: "Type",
    cell: ({ row }) =>
      row.original.builtIn ? (
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">Built-in</span>
      ) : (
        <span className="rounded bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700">Custom</span>
      ),
  },
  { id: "users", header: "Users", accessorKey: "userCount", meta: { className: "text-right tabular-nums" } },
  {
    id: "delete",
    header: "Delete",
    cell: ({ row: { original: role } }) =>
      role.builtIn ? null : <DeleteRoleButton roleId={role.id} name={role.name} />,
    meta: { srOnlyHeader: true },
  },
];

/** Built-in roles and the viewer's org's custom roles. */
export function RolesTable({ rows }: { rows: RoleTableRow[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      data={rows}
      caption="Roles"
      getRowId={(r) => r.id}
      headClassName="bg-slate-50 text-slate-700"
      empty="No roles"
    />
  );
}
