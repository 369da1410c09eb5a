"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { buttonClass } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";

/** A Reports row as the server prepared it (kind and date in words). */
export interface ReportTableRow {
  id: string;
  name: string;
  kind: string;
  created: string;
  status: string;
}

const STATUS_STYLES: Record<string, string> = {
  COMPLETE: "bg-emerald-100 text-emerald-900",
  FAILED: "bg-red-100 text-red-900",
  PROCESSING: "bg-amber-100 text-amber-900",
  RECEIVED: "bg-slate-100 text-slate-800",
};

function columns(canViewStatus: boolean, canDownload: boolean, hasPgpKey: boolean): ColumnDef<ReportTableRow>[] {
  const cols: ColumnDef<ReportTableRow>[] = [
    { id: "name", header: "File name", accessorKey: "name", meta: { className: "font-mono" } },
    { id: "kind", header: "Type", accessorKey: "kind" },
    { id: "created", header: "Created", accessorKey: "created", meta: { className: "whitespace-nowrap" } },
  ];
  if (canViewStatus) {
    cols.push({
      id: "status",
      header: "Status",
      cell: ({ row }) => (
        <span className={`rounded px-1.5 py-0.5 text-xs ${STATUS_STYLES[row.original.status] ?? ""}`}>
          {row.original.status}
        </span>
      ),
    });
  }
  if (canDownload) {
    cols.push({
      id: "download",
      header: "Download",
      cell: ({ row: { original: r } }) =>
        hasPgpKey ? (
          <a
            href={`/reports/${encodeURIComponent(r.id)}/download`}
            download
            aria-label={`Download ${r.name}`}
            className={buttonClass("secondary")}
          >
            Download
          </a>
        ) : (
          <span className="text-xs text-slate-500">Needs a PGP key</span>
        ),
      meta: { className: "text-right", srOnlyHeader: true },
    });
  }
  return cols;
}

/** One page of the org's reports: Status with View Status, Download with Report Download. */
export function ReportsTable({
  rows,
  canViewStatus,
  canDownload,
  hasPgpKey,
}: {
  rows: ReportTableRow[];
  canViewStatus: boolean;
  canDownload: boolean;
  /** The org has an active PGP key to encrypt downloads to. */
  hasPgpKey: boolean;
}) {
  // Stable column definitions: new cell functions would remount every cell.
  const cols = useMemo(() => columns(canViewStatus, canDownload, hasPgpKey), [canViewStatus, canDownload, hasPgpKey]);
  return (
    <DataTable columns={cols} data={rows} caption="Reports" getRowId={(r) => r.id} empty="No reports on this page." />
  );
}
