"use client";

import Link from "next/link";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { FieldNotes } from "@/components/ui/field";
import {
  CREATED_AT_OPTIONS,
  EXPIRES_IN_OPTIONS,
  KEY_TYPE_OPTIONS,
  PER_PAGE_OPTIONS,
  SORT_OPTIONS,
  STATUS_OPTIONS,
  type KeySearchFilters,
} from "@/lib/keys/search-options";

/**
 * Search Filters. A plain GET form: the filters go into the URL, so a search can be shared
 * and reloaded, and it works before JavaScript loads. Custom Date shows Start/End Date.
 */
export function KeySearchForm({
  filters,
  errors,
  merchants,
}: {
  filters: KeySearchFilters;
  errors: Record<string, string>;
  /** For portfolio and account users: the orgs they may choose. Absent for merchants. */
  merchants?: { id: string; name: string }[];
}) {
  const [createdAt, setCreatedAt] = useState(filters.createdAt);
  const [expiresIn, setExpiresIn] = useState(filters.expiresIn);
  return (
    <form method="get" action="/keys" className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4" noValidate>
      <Select
        label="Created At"
        name="createdAt"
        value={createdAt}
        onChange={(v) => setCreatedAt(v as KeySearchFilters["createdAt"])}
        options={CREATED_AT_OPTIONS}
        error={errors.createdAt}
      />
      {createdAt === "custom" && (
        <DateRange
          legend="Created At: Custom Date"
          startName="createdStart"
          endName="createdEnd"
          start={filters.createdStart}
          end={filters.createdEnd}
          errors={errors}
        />
      )}
      <Select
        label="Expires In"
        name="expiresIn"
        value={expiresIn}
        onChange={(v) => setExpiresIn(v as KeySearchFilters["expiresIn"])}
        options={EXPIRES_IN_OPTIONS}
        error={errors.expiresIn}
      />
      {expiresIn === "custom" && (
        <DateRange
          legend="Expires In: Custom Date"
          startName="expiresStart"
          endName="expiresEnd"
          start={filters.expiresStart}
          end={filters.expiresEnd}
          errors={errors}
        />
      )}
      <Field label="Key ID" error={errors.keyId} hint="Finds the key with this ID, whatever its dates.">
        {(props) => <input {...props} name="keyId" defaultValue={filters.keyId} autoComplete="off" />}
      </Field>
      <Select
        label="Key Status"
        name="status"
        defaultValue={filters.status}
        options={STATUS_OPTIONS}
        error={errors.status}
      />
      <Select
        label="Key Type"
        name="type"
        defaultValue={filters.type}
        options={KEY_TYPE_OPTIONS}
        error={errors.type}
        hint="All leaves out ISV Bridge, Message Level Encryption, MPOS, PGP and Secure Acceptance."
      />
      {merchants && (
        <Field label="Merchant" error={errors.merchant}>
          {(props) => (
            <>
              <input
                {...props}
                name="merchant"
                list="merchant-options"
                defaultValue={filters.merchant}
                autoComplete="off"
              />
              <datalist id="merchant-options">
                {merchants.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>
      )}
      <Select
        label="Number of Records Per Page"
        name="perPage"
        defaultValue={String(filters.perPage)}
        options={PER_PAGE_OPTIONS.map((n) => ({ value: String(n), label: String(n) }))}
        error={errors.perPage}
      />
      <Select label="Sort Order" name="sort" defaultValue={filters.sort} options={SORT_OPTIONS} error={errors.sort} />
      <div className="flex items-end gap-3 md:col-span-2 xl:col-span-4">
        <button type="submit" className={buttonClass("primary")}>
          Search
        </button>
        <Link href="/keys" className={buttonClass("secondary")}>
          Reset Search
        </Link>
      </div>
    </form>
  );
}

type InputProps = { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string; className: string };

function Field({
  label,
  error,
  hint,
  id: explicitId,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  id?: string;
  children: (props: InputProps) => React.ReactNode;
}) {
  const id = explicitId ?? `f-${label.replace(/\W+/g, "-").toLowerCase()}`;
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
        className: `rounded-md border bg-white px-3 py-2 text-sm ${error ? "border-red-500" : "border-slate-300"}`,
      })}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

function Select(props: {
  label: string;
  name: string;
  options: readonly { value: string; label: string }[];
  value?: string;
  defaultValue?: string;
  onChange?: (value: string) => void;
  error?: string;
  hint?: string;
}) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {(p) => (
        <select
          {...p}
          name={props.name}
          value={props.value}
          defaultValue={props.defaultValue}
          onChange={props.onChange ? (e) => props.onChange!(e.target.value) : undefined}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function DateRange(props: {
  legend: string;
  startName: string;
  endName: string;
  start?: string;
  end?: string;
  errors: Record<string, string>;
}) {
  return (
    <fieldset className="grid grid-cols-1 gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-2 xl:col-span-2">
      <legend className="px-1 text-xs font-semibold text-slate-500">{props.legend}</legend>
      <Field label="Start Date" id={`f-${props.startName}`} error={props.errors[props.startName]}>
        {(p) => (
          <input
            {...p}
            className={`${p.className} min-w-40`}
            type="date"
            name={props.startName}
            defaultValue={props.start}
          />
        )}
      </Field>
      <Field label="End Date" id={`f-${props.endName}`} error={props.errors[props.endName]}>
        {(p) => (
          <input
            {...p}
            className={`${p.className} min-w-40`}
            type="date"
            name={props.endName}
            defaultValue={props.end}
          />
        )}
      </Field>
    </fieldset>
  );
}
