"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { DataTable, type ServerSort } from "@/components/ui/data-table";
import type { KeySearchFilters } from "@/lib/keys/search-options";
import { DeleteKeyButton } from "./key-actions";
import { RegenerateMetaKey, type RegenerateTarget } from "./regenerate-meta-key";
import { StatusBadge } from "./status-badge";

/** A Search Results row as the server prepared it (labels and dates already in words). */
export interface ResultRow {
  id: string;
  name: string;
  type: string;
  orgId: string;
  status: "Active" | "Inactive";
  created: string;
  expires: string;
  meta: "all" | "custom" | null;
  /** A meta key the viewer may regenerate: what its Regenerate meta key needs. */
  regenerate?: RegenerateTarget;
  /** The viewer may open Edit Key for it. */
  editable: boolean;
}

type Sort = KeySearchFilters["sort"];
const DEFAULT_SORT: Sort = "expiring_soon";
/** The URL's sort values as (column, direction), and back: the server sorts, the header links. */
const SORTS: Record<Sort, ServerSort> = {
  expiring_soon: { id: "expires", desc: false },
  expiring_last: { id: "expires", desc: true },
  created_oldest: { id: "created", desc: false },
  created_newest: { id: "created", desc: true },
};
const sortValue = (s: ServerSort) =>
  (Object.keys(SORTS) as Sort[]).find((k) => SORTS[k].id === s.id && SORTS[k].desc === s.desc) ?? DEFAULT_SORT;

function PencilIcon() {
  return (
    <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="size-4">
      <path d="M13.6 2.6a2 2 0 0 1 2.8 0l1 1a2 2 0 0 1 0 2.8l-9.9 9.9-4.2 1.3a.6.6 0 0 1-.8-.8l1.3-4.2 9.8-10Zm-8.7 11.5-.6 1.8 1.8-.6 8.6-8.6-1.2-1.2-8.6 8.6Z" />
    </svg>
  );
}

function columns(canDelete: boolean, anyEditable: boolean): ColumnDef<ResultRow>[] {
  const cols: ColumnDef<ResultRow>[] = [
    {
      id: "id",
      header: "Key ID",
      cell: ({ row }) => (
        <Link href={`/keys/${encodeURIComponent(row.original.id)}`} className="text-brand-700 underline">
          {row.original.id}
        </Link>
      ),
      meta: { className: "font-mono" },
    },
    { id: "name", header: "Name", accessorKey: "name" },
    { id: "type", header: "Key Type", accessorKey: "type" },
    { id: "merchant", header: "Merchant", accessorKey: "orgId", meta: { className: "font-mono" } },
    { id: "status", header: "Status", cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "created", header: "Created", accessorKey: "created", meta: { className: "whitespace-nowrap", serverSort: true } },
    { id: "expires", header: "Expires", accessorKey: "expires", meta: { className: "whitespace-nowrap", serverSort: true } },
    {
      id: "meta",
      header: "Meta Key",
      cell: ({ row: { original: k } }) =>
        k.meta ? (
          <span className="flex flex-wrap items-center gap-2">
            <span className="rounded bg-violet-100 px-2 py-0.5 text-xs font-semibold text-violet-900">
              Meta key{k.meta === "all" ? " · All MIDs" : ""}
            </span>
            {k.regenerate && (
              <RegenerateMetaKey target={k.regenerate} look="link" ariaLabel={`Regenerate meta key ${k.id}`} />
            )}
          </span>
        ) : (
          <span className="sr-only">No</span>
        ),
    },
  ];
  // The guide: "In the Edit Key column, click the edit button. The Edit Key page appears."
  if (anyEditable) {
    cols.push({
      id: "edit",
      header: "Edit Key",
      cell: ({ row: { original: k } }) =>
        k.editable ? (
          <Link
            href={`/keys/${encodeURIComponent(k.id)}/edit`}
            aria-label={`Edit Key ${k.id}`}
            title="Edit Key"
            className="inline-flex rounded p-1.5 text-brand-700 hover:bg-brand-50"
          >
            <PencilIcon />
          </Link>
        ) : null,
      meta: { className: "text-center" },
    });
  }
  if (canDelete) {
    cols.push({
      id: "delete",
      header: "Delete",
      cell: ({ row }) => <DeleteKeyButton keyId={row.original.id} compact />,
      meta: { className: "text-right", srOnlyHeader: true },
    });
  }
  return cols;
}

/** The Search Results table (client side: TanStack Table, sort links from the current URL). */
export function ResultsDataTable({
  rows,
  canDelete,
  canRegenerate,
}: {
  rows: ResultRow[];
  canDelete: boolean;
  canRegenerate: boolean;
}) {
  const params = useSearchParams();
  const pathname = usePathname();
  const current = params.get("sort");
  const sort = SORTS[(current && current in SORTS ? current : DEFAULT_SORT) as Sort];
  const sortHref = (id: string, desc: boolean) => {
    const next = new URLSearchParams(params);
    const value = sortValue({ id, desc });
    if (value === DEFAULT_SORT) next.delete("sort");
    else next.set("sort", value);
    next.delete("page");
    return `${pathname}${next.size ? `?${next}` : ""}`;
  };
  // Stable column definitions: new cell functions would remount every cell (and its Delete dialog).
  const cols = useMemo(() => columns(canDelete, canRegenerate), [canDelete, canRegenerate]);
  return (
    <DataTable
      columns={cols}
      data={rows}
      caption="Keys"
      label="Keys"
      getRowId={(r) => r.id}
      sort={sort}
      sortHref={sortHref}
      regionClassName="rounded-lg border border-slate-200 bg-white"
      empty="No keys match these filters."
    />
  );
}
