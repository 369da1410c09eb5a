import { FilterButtons, FilterDate, FilterSelect, FilterText } from "@/components/ui/filter-fields";
import { AUDIT_ACTION_OPTIONS } from "@/lib/audit-actions";
import type { AuditFilters } from "@/lib/audit-log";

const ACTIONS = [{ value: "", label: "All actions" }, ...AUDIT_ACTION_OPTIONS];
const RESULTS = [
  { value: "all", label: "All" },
  { value: "success", label: "Success" },
  { value: "failure", label: "Failure" },
];

/**
 * The Audit page's filters: a plain GET form, so the URL holds the search. Action is a list
 * of the log's actions in words ("Key deleted"); the URL carries the code (`key.delete`).
 * Values the page could not use were already left out (and said so) by the page.
 */
export function AuditFilterForm({ filters }: { filters: AuditFilters }) {
  return (
    <form method="get" action="/audit" className="grid grid-cols-1 gap-4 md:grid-cols-3 xl:grid-cols-5" noValidate>
      <FilterSelect name="action" label="Action" value={filters.action ?? ""} options={ACTIONS} />
      <FilterText name="actor" label="Who (email contains)" value={filters.actor} />
      <FilterSelect name="result" label="Result" value={filters.result ?? "all"} options={RESULTS} />
      <FilterDate name="from" label="From" value={filters.from} />
      <FilterDate name="to" label="To" value={filters.to} />
      <FilterButtons resetHref="/audit" resetLabel="Reset Search" className="md:col-span-3 xl:col-span-5" />
    </form>
  );
}
