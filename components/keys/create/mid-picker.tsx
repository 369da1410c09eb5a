"use client";

import type { ColumnDef, RowSelectionState } from "@tanstack/react-table";
import { useEffect, useId, useMemo, useState, useTransition } from "react";
import { searchMidsAction } from "@/lib/actions/keys/search-mids";
import { Button, Spinner } from "@/components/ui/button";
import { DataTable, selectColumn } from "@/components/ui/data-table";
import { Dialog, DialogClose, DialogContent, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { Pager } from "@/components/ui/page-links";

export interface MidFilter {
  mid?: string;
  name?: string;
  account?: string;
  status?: "ACTIVE" | "INACTIVE";
}
export interface MidSelection {
  mids: string[];
  /** "Select all matching": every MID this filter matches, resolved on the server. */
  allMatching?: MidFilter;
  /** How many MIDs the selection names (for the summary). */
  count: number;
}

const FILTER_FIELDS = [
  { value: "mid", label: "Merchant ID" },
  { value: "name", label: "Merchant Name" },
  { value: "account", label: "Account" },
  { value: "status", label: "Status" },
] as const;
type FilterField = (typeof FILTER_FIELDS)[number]["value"];
type Row = { id: string; name: string; accountId: string | null; status: string };

const DATA_COLUMNS: ColumnDef<Row>[] = [
  { id: "mid", header: "Merchant ID", accessorKey: "id", meta: { className: "font-mono" } },
  { id: "name", header: "Name", accessorKey: "name" },
  { id: "account", header: "Account", cell: ({ row }) => row.original.accountId ?? "—", meta: { className: "font-mono" } },
  { id: "status", header: "Status", cell: ({ row }) => (row.original.status === "ACTIVE" ? "Active" : "Inactive") },
];

/**
 * Add Custom Merchant IDs: the transacting MIDs below the org, paginated and filtered on
 * the server (+ Add filter, Search), one page at a time in a DataTable with check boxes (Tab
 * to a box, Space to tick it; the ticks are kept across pages), "select all matching", Submit.
 */
export function MidPicker({
  onSubmit,
  submitLabel = "Submit",
}: {
  onSubmit: (s: MidSelection) => void;
  submitLabel?: string;
}) {
  const titleId = useId();
  const [filters, setFilters] = useState<{ field: FilterField; value: string }[]>([]);
  const [applied, setApplied] = useState<MidFilter>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ rows: Row[]; total: number; pageCount: number }>();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  const [error, setError] = useState<string>();
  const [loading, start] = useTransition();
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    start(async () => {
      const r = await searchMidsAction({ filter: applied, page });
      if (r.ok) setData(r.data);
      else setError(r.error.message);
    });
  }, [applied, page, open]);

  const toFilter = (): MidFilter =>
    Object.fromEntries(filters.filter((f) => f.value.trim()).map((f) => [f.field, f.value.trim()])) as MidFilter;
  const setFilter = (i: number, change: Partial<{ field: FilterField; value: string }>) =>
    setFilters(filters.map((x, j) => (j === i ? { ...x, ...change } : x)));

  const chosen = Object.keys(selection).filter((id) => selection[id]);
  // The same column definitions from render to render: a new cell function would be a new
  // component to React, and the check box that has focus would be replaced (focus lost on Space).
  const columns = useMemo<ColumnDef<Row>[]>(
    () => [
      selectColumn<Row>({
        all: "Select all merchant IDs on this page",
        row: (r) => `Select ${r.id}`,
        disabled: allMatching,
        forceChecked: allMatching,
      }),
      ...DATA_COLUMNS,
    ],
    [allMatching],
  );

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary">+ Add custom merchant ids</Button>
      </DialogTrigger>
      <DialogContent wide aria-describedby={undefined}>
        <DialogTitle>Add Custom Merchant IDs</DialogTitle>
        <div className="flex flex-col gap-2">
          {filters.map((f, i) => (
            <div key={i} className="flex flex-wrap items-end gap-2">
              <label className="flex flex-col text-sm" htmlFor={`${titleId}-f${i}`}>
                Filter {i + 1}
              </label>
              <select
                id={`${titleId}-f${i}`}
                value={f.field}
                onChange={(e) => setFilter(i, { field: e.target.value as FilterField })}
                className="rounded-md border border-slate-300 px-2 py-1.5"
              >
                {FILTER_FIELDS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
              <label className="text-sm" htmlFor={`${titleId}-v${i}`}>
                Value {i + 1}
              </label>
              {f.field === "status" ? (
                <select
                  id={`${titleId}-v${i}`}
                  value={f.value}
                  onChange={(e) => setFilter(i, { value: e.target.value })}
                  className="rounded-md border border-slate-300 px-2 py-1.5"
                >
                  <option value="">Any</option>
                  <option value="ACTIVE">Active</option>
                  <option value="INACTIVE">Inactive</option>
                </select>
              ) : (
                <input
                  id={`${titleId}-v${i}`}
                  value={f.value}
                  onChange={(e) => setFilter(i, { value: e.target.value })}
                  className="rounded-md border border-slate-300 px-2 py-1.5"
                />
              )}
              <Button
                variant="ghost"
                aria-label={`Remove filter ${i + 1}`}
                onClick={() => setFilters(filters.filter((_, j) => j !== i))}
              >
                ✕
              </Button>
            </div>
          ))}
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setFilters([...filters, { field: "mid", value: "" }])}>
              + Add filter
            </Button>
            <Button
              onClick={() => {
                setApplied(toFilter());
                setPage(1);
                setAllMatching(false);
              }}
            >
              Search
            </Button>
          </div>
        </div>
        <FormError message={error} />
        <DataTable
          columns={columns}
          data={data?.rows ?? []}
          caption="Merchant IDs"
          getRowId={(r) => r.id}
          rowSelection={selection}
          onRowSelectionChange={setSelection}
          enableRowSelection={!allMatching}
          regionClassName="max-h-80 overflow-y-auto rounded-md border border-slate-200"
          headClassName="sticky top-0 bg-slate-50 text-xs uppercase text-slate-600"
          empty={
            loading || !data ? <Spinner label="Loading merchant IDs…" /> : "No transacting merchant IDs match."
          }
        />
        {loading && data && (
          <p className="text-sm">
            <Spinner label="Loading merchant IDs…" />
          </p>
        )}
        {data && data.total > 0 && (
          <div className="flex flex-col gap-2 text-sm">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={allMatching} onChange={(e) => setAllMatching(e.target.checked)} />
              Select all {data.total.toLocaleString()} matching merchant IDs
            </label>
            <Pager page={page} pageCount={data.pageCount} onPage={setPage} disabled={loading} label="Merchant ID pages" />
          </div>
        )}
        <div className="flex items-center justify-end gap-2">
          <span className="mr-auto text-sm text-slate-600" role="status">
            {allMatching ? `${data?.total ?? 0} selected (all matching)` : `${chosen.length} selected`}
          </span>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button
            disabled={!allMatching && chosen.length === 0}
            onClick={() => {
              onSubmit(
                allMatching
                  ? { mids: [], allMatching: applied, count: data?.total ?? 0 }
                  : { mids: chosen, count: chosen.length },
              );
              setOpen(false);
            }}
          >
            {submitLabel}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
