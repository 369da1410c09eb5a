import { FilterButtons, FilterDate, FilterSelect, FilterText } from "@/components/ui/filter-fields";
import { AUTH_TYPE_OPTIONS, type TransactionFilters } from "@/lib/transaction-filters";

const RESULTS = [
  { value: "all", label: "All" },
  { value: "success", label: "Success" },
  { value: "failure", label: "Failure" },
];
const AUTH_TYPES = [{ value: "", label: "All types" }, ...AUTH_TYPE_OPTIONS];

/** The Transactions filters: a plain GET form, so the URL holds the search (and the export's). */
export function TransactionFilterForm({ filters }: { filters: TransactionFilters }) {
  return (
    <form
      method="get"
      action="/transactions"
      noValidate
      className="grid grid-cols-1 gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      <FilterDate name="from" label="From" value={filters.from} />
      <FilterDate name="to" label="To" value={filters.to} />
      <FilterSelect name="result" label="Result" value={filters.result ?? "all"} options={RESULTS} />
      <FilterSelect name="authType" label="Authentication type" value={filters.authType ?? ""} options={AUTH_TYPES} />
      <FilterText name="keyId" label="Key ID" value={filters.keyId} />
      <FilterText name="requestId" label="Request ID" value={filters.requestId} />
      <FilterText name="merchantId" label="Merchant ID" value={filters.merchantId} />
      <FilterButtons resetHref="/transactions" resetLabel="Reset" />
    </form>
  );
}
