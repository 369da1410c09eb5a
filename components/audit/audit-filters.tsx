import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import type { AuditFilters } from "@/lib/audit-log";

const inputClass = (error?: string) =>
  `rounded-md border bg-white px-3 py-2 text-sm ${error ? "border-red-500" : "border-slate-300"}`;

/** The Audit page's filters: a plain GET form, so the URL holds the search. */
export function AuditFilterForm({ filters, errors }: { filters: AuditFilters; errors: Record<string, string> }) {
  const field = (name: keyof AuditFilters, label: string, type: "text" | "date" = "text") => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`audit-${name}`} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={`audit-${name}`}
        name={name}
        type={type}
        defaultValue={filters[name]}
        autoComplete="off"
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `audit-${name}-error` : undefined}
        className={inputClass(errors[name])}
      />
      {errors[name] && (
        <p id={`audit-${name}-error`} className="text-sm text-red-700">
          {errors[name]}
        </p>
      )}
    </div>
  );
  return (
    <form method="get" action="/audit" className="grid grid-cols-1 gap-4 md:grid-cols-3 xl:grid-cols-5" noValidate>
      {field("action", "Action")}
      {field("actor", "Who (email contains)")}
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-result" className="text-sm font-medium text-slate-700">
          Result
        </label>
        <select
          id="audit-result"
          name="result"
          defaultValue={filters.result ?? "all"}
          aria-invalid={errors.result ? true : undefined}
          className={inputClass(errors.result)}
        >
          <option value="all">All</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
        {errors.result && <p className="text-sm text-red-700">{errors.result}</p>}
      </div>
      {field("from", "From", "date")}
      {field("to", "To", "date")}
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
