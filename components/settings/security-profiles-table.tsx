"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";

/** A Secure Acceptance security profile of the org. */
export interface SecurityProfileRow {
  id: string;
  name: string;
}

const COLUMNS: ColumnDef<SecurityProfileRow>[] = [
  { id: "id", header: "Profile ID", accessorKey: "id", meta: { className: "font-mono" } },
  { id: "name", header: "Name", accessorKey: "name" },
];

/** The org's security profiles; the region's name differs from its panel's ("Security profiles"). */
export function SecurityProfilesTable({ rows }: { rows: SecurityProfileRow[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      data={rows}
      caption="Security profiles"
      label="Secure Acceptance security profiles"
      getRowId={(p) => p.id}
      empty="No security profiles"
    />
  );
}
