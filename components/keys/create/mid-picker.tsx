"use client";

import { useEffect, useId, useRef, useState, useTransition } from "react";
import { searchMidsAction } from "@/lib/actions/keys/search-mids";
import { Button, Spinner } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

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

/**
 * Add Custom Merchant IDs: the transacting MIDs below the org, paginated and filtered on
 * the server (+ Add filter, Search), check boxes, "select all matching", Submit.
 */
export function MidPicker({
  onSubmit,
  submitLabel = "Submit",
}: {
  onSubmit: (s: MidSelection) => void;
  submitLabel?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [filters, setFilters] = useState<{ field: FilterField; value: string }[]>([]);
  const [applied, setApplied] = useState<MidFilter>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ rows: Row[]; total: number; pageCount: number }>();
  const [checked, setChecked] = useState<Set<string>>(new Set());
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

  const pageIds = data?.rows.map((r) => r.id) ?? [];
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => checked.has(id));

  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        + Add custom merchant ids
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={() => setOpen(false)}
        className="m-auto w-full max-w-3xl rounded-xl p-0 shadow-xl"
      >
        <div className="flex flex-col gap-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            Add Custom Merchant IDs
          </h2>
          <div className="flex flex-col gap-2">
            {filters.map((f, i) => (
              <div key={i} className="flex flex-wrap items-end gap-2">
                <label className="flex flex-col text-sm" htmlFor={`${titleId}-f${i}`}>
                  Filter {i + 1}
                </label>
                <select
                  id={`${titleId}-f${i}`}
                  value={f.field}
                  onChange={(e) =>
                    setFilters(filters.map((x, j) => (j === i ? { ...x, field: e.target.value as FilterField } : x)))
                  }
                  className="rounded-md border border-slate-300 px-2 py-1.5"
                >
                  {FILTER_FIELDS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
                {f.field === "status" ? (
                  <>
                    <label className="text-sm" htmlFor={`${titleId}-v${i}`}>
                      Value {i + 1}
                    </label>
                    <select
                      id={`${titleId}-v${i}`}
                      value={f.value}
                      onChange={(e) =>
                        setFilters(filters.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))
                      }
                      className="rounded-md border border-slate-300 px-2 py-1.5"
                    >
                      <option value="">Any</option>
                      <option value="ACTIVE">Active</option>
                      <option value="INACTIVE">Inactive</option>
                    </select>
                  </>
                ) : (
                  <>
                    <label className="text-sm" htmlFor={`${titleId}-v${i}`}>
                      Value {i + 1}
                    </label>
                    <input
                      id={`${titleId}-v${i}`}
                      value={f.value}
                      onChange={(e) =>
                        setFilters(filters.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))
                      }
                      className="rounded-md border border-slate-300 px-2 py-1.5"
                    />
                  </>
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
          <div className="max-h-80 overflow-y-auto rounded-md border border-slate-200">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Merchant IDs</caption>
              <thead className="sticky top-0 bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label="Select all merchant IDs on this page"
                      checked={allOnPage}
                      disabled={allMatching}
                      onChange={(e) => {
                        const next = new Set(checked);
                        for (const id of pageIds) {
                          if (e.target.checked) next.add(id);
                          else next.delete(id);
                        }
                        setChecked(next);
                      }}
                    />
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Merchant ID
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Account
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody>
                {data?.rows.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">
                      <input
                        type="checkbox"
                        aria-label={`Select ${r.id}`}
                        checked={allMatching || checked.has(r.id)}
                        disabled={allMatching}
                        onChange={(e) => {
                          const next = new Set(checked);
                          if (e.target.checked) next.add(r.id);
                          else next.delete(r.id);
                          setChecked(next);
                        }}
                      />
                    </td>
                    <td className="px-3 py-1.5 font-mono">{r.id}</td>
                    <td className="px-3 py-1.5">{r.name}</td>
                    <td className="px-3 py-1.5 font-mono">{r.accountId ?? "—"}</td>
                    <td className="px-3 py-1.5">{r.status === "ACTIVE" ? "Active" : "Inactive"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {loading && (
              <p className="p-3 text-sm">
                <Spinner label="Loading merchant IDs…" />
              </p>
            )}
            {data && data.total === 0 && (
              <p className="p-3 text-sm text-slate-500">No transacting merchant IDs match.</p>
            )}
          </div>
          {data && data.total > 0 && (
            <div className="flex flex-wrap items-center gap-3 text-sm">
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={allMatching} onChange={(e) => setAllMatching(e.target.checked)} />
                Select all {data.total.toLocaleString()} matching merchant IDs
              </label>
              <span className="ml-auto">
                Page {page} of {data.pageCount}
              </span>
              <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous
              </Button>
              <Button variant="secondary" disabled={page >= data.pageCount} onClick={() => setPage(page + 1)}>
                Next
              </Button>
            </div>
          )}
          <div className="flex items-center justify-end gap-2">
            <span className="mr-auto text-sm text-slate-600" role="status">
              {allMatching ? `${data?.total ?? 0} selected (all matching)` : `${checked.size} selected`}
            </span>
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button
              disabled={!allMatching && checked.size === 0}
              onClick={() => {
                onSubmit(
                  allMatching
                    ? { mids: [], allMatching: applied, count: data?.total ?? 0 }
                    : { mids: [...checked], count: checked.size },
                );
                dialog.current?.close();
              }}
            >
              {submitLabel}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
