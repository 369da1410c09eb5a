import clsx from "clsx";
import Link from "next/link";
import { buttonClass } from "./button";

/**
 * The fields of a plain GET search form (Audit, Transactions): a labelled list, a date wide
 * enough for the year, a text box. Uncontrolled (`defaultValue`): the URL holds the search.
 */
const inputClass = "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-normal";
const labelClass = "text-sm font-medium text-slate-700";
/** The field's id: one search form per page, so its name is unique. The label is not wrapped
 * around the control (a wrapped list's label would read "Result All", not "Result"). */
const fieldId = (name: string) => `filter-${name}`;

export function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={fieldId(name)} className={labelClass}>
        {label}
      </label>
      <select id={fieldId(name)} name={name} defaultValue={value} className={inputClass}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FilterDate({ name, label, value }: { name: string; label: string; value?: string }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={fieldId(name)} className={labelClass}>
        {label}
      </label>
      <input id={fieldId(name)} name={name} type="date" defaultValue={value} className={`${inputClass} min-w-44`} />
    </div>
  );
}

export function FilterText({ name, label, value }: { name: string; label: string; value?: string }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={fieldId(name)} className={labelClass}>
        {label}
      </label>
      <input id={fieldId(name)} name={name} defaultValue={value} autoComplete="off" className={inputClass} />
    </div>
  );
}

/** Search (submits the form) and the reset link back to `resetHref` with no filters. */
export function FilterButtons({
  resetHref,
  resetLabel,
  className,
}: {
  resetHref: string;
  resetLabel: string;
  className?: string;
}) {
  return (
    <div className={clsx("flex items-end gap-3", className)}>
      <button type="submit" className={buttonClass("primary")}>
        Search
      </button>
      <Link href={resetHref} className={buttonClass("secondary")}>
        {resetLabel}
      </Link>
    </div>
  );
}
