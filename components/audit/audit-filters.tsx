import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { AUDIT_ACTION_OPTIONS } from "@/lib/audit-actions";
import type { AuditFilters } from "@/lib/audit-log";

const inputClass = "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
const labelClass = "text-sm font-medium text-slate-700";

/**
 * The Audit page's filters: a plain GET form, so the URL holds the search. Action is a list
 * of the log's actions in words ("Key deleted"); the URL carries the code (`key.delete`).
 * Values the page could not use were already left out (and said so) by the page.
 */
export function AuditFilterForm({ filters }: { filters: AuditFilters }) {
  const date = (name: "from" | "to", label: string) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`audit-${name}`} className={labelClass}>
        {label}
      </label>
      <input
        id={`audit-${name}`}
        name={name}
        type="date"
        defaultValue={filters[name]}
        className={`${inputClass} min-w-44`}
      />
    </div>
  );
  return (
    <form method="get" action="/audit" className="grid grid-cols-1 gap-4 md:grid-cols-3 xl:grid-cols-5" noValidate>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-action" className={labelClass}>
          Action
        </label>
        <select id="audit-action" name="action" defaultValue={filters.action ?? ""} className={inputClass}>
          <option value="">All actions</option>
          {AUDIT_ACTION_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-actor" className={labelClass}>
          Who (email contains)
        </label>
        <input id="audit-actor" name="actor" defaultValue={filters.actor} autoComplete="off" className={inputClass} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-result" className={labelClass}>
          Result
        </label>
        <select id="audit-result" name="result" defaultValue={filters.result ?? "all"} className={inputClass}>
          <option value="all">All</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
      </div>
      {date("from", "From")}
      {date("to", "To")}
      <div className="flex items-end gap-3 md:col-span-3 xl:col-span-5">
        <button type="submit" className={buttonClass("primary")}>
          Search
        </button>
        <Link href="/audit" className={buttonClass("secondary")}>
          Reset Search
        </Link>
      </div>
    </form>
  );
}
