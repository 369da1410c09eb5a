"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";
import { auditActionName } from "@/lib/audit-actions";
import type { AuditRow } from "@/lib/audit-log";
import { formatDateTime } from "@/lib/format";

/** A row as the table shows it: the record without its details (they are in the CSV export). */
export type AuditTableRow = Omit<AuditRow, "details">;

const dash = (v: string | null) => v ?? "—";

const COLUMNS: ColumnDef<AuditTableRow>[] = [
  {
    id: "time",
    header: "Time",
    cell: ({ row }) => <time dateTime={row.original.at.toISOString()}>{formatDateTime(row.original.at)}</time>,
    meta: { className: "whitespace-nowrap" },
  },
  { id: "who", header: "Who", cell: ({ row }) => dash(row.original.actorEmail) },
  { id: "org", header: "Org", cell: ({ row }) => dash(row.original.orgId), meta: { className: "font-mono" } },
  {
    id: "action",
    header: "Action",
    // The name in words, and the code the log (and the CSV export) holds.
    cell: ({ row }) => (
      <span className="flex flex-col">
        <span>{auditActionName(row.original.action)}</span>
        <span className="font-mono text-xs text-slate-600">{row.original.action}</span>
      </span>
    ),
  },
  {
    id: "target",
    header: "Target",
    cell: ({ row: { original: r } }) =>
      r.targetType ? (
        <>
          {r.targetType} <span className="font-mono">{r.targetId}</span>
        </>
      ) : (
        "—"
      ),
  },
  {
    id: "result",
    header: "Result",
    cell: ({ row }) => (
      <span className={row.original.result === "success" ? "text-green-800" : "text-red-700"}>
        {row.original.result === "success" ? "Success" : row.original.result === "failure" ? "Failure" : row.original.result}
      </span>
    ),
  },
  { id: "ip", header: "IP", cell: ({ row }) => dash(row.original.ip), meta: { className: "font-mono" } },
  {
    id: "userAgent",
    header: "User agent",
    // Wrapped rather than cut off: the whole value is readable (and reachable) in the scrolling region.
    cell: ({ row }) => dash(row.original.userAgent),
    meta: { className: "min-w-64 max-w-md break-words text-slate-600" },
  },
];

export function AuditTable({ rows }: { rows: AuditTableRow[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      data={rows}
      caption="Audit events, newest first"
      label="Audit events"
      getRowId={(r) => r.seq}
      headClassName="bg-slate-50 text-slate-700"
      rowClassName="border-t border-slate-100 align-top"
      empty="No events match these filters."
    />
  );
}
