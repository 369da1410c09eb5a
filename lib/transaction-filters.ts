import { z } from "zod";
import {
  checkDateRange,
  dropInvalidFilters,
  firstCharacters,
  pageParam,
  parseParams,
  safeText,
} from "@/lib/validation";

/** How a request authenticated (lib/gateway/authenticate.ts's AuthType), in words. */
export const AUTH_TYPE_OPTIONS = [
  { value: "http_signature", label: "HTTP Signature" },
  { value: "jwt", label: "JSON Web Token" },
  { value: "simple_order", label: "Simple Order API" },
  { value: "soap_toolkit", label: "SOAP Toolkit" },
  { value: "secure_acceptance", label: "Secure Acceptance" },
  { value: "none", label: "No credentials" },
] as const;
export type AuthTypeFilter = (typeof AUTH_TYPE_OPTIONS)[number]["value"];

/** Result: the gateway's answer was a success (HTTP 2xx) or not. */
export const TRANSACTION_RESULTS = ["success", "failure"] as const;

export interface TransactionFilters {
  requestId?: string;
  merchantId?: string;
  keyId?: string;
  authType?: AuthTypeFilter;
  result?: (typeof TRANSACTION_RESULTS)[number];
  /** YYYY-MM-DD, inclusive, UTC (the times the list shows). */
  from?: string;
  to?: string;
}

type Params = Record<string, string | string[] | undefined>;

/**
 * A filter value: trimmed, refused if it has unsupported characters, then cut to `max` whole
 * characters; empty is no filter.
 */
const filterValue = (max: number) =>
  z
    .string()
    .trim()
    .pipe(safeText())
    .transform((s) => firstCharacters(s, max) || undefined);

const emptyIsNone = z
  .string()
  .trim()
  .transform((s) => s || undefined);

const date = emptyIsNone.pipe(
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.")
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Enter a date as YYYY-MM-DD.")
    .optional(),
);

const FIELDS = {
  requestId: filterValue(64),
  merchantId: filterValue(100),
  keyId: filterValue(200),
  authType: emptyIsNone.pipe(
    z
      .enum(AUTH_TYPE_OPTIONS.map((o) => o.value) as [AuthTypeFilter, ...AuthTypeFilter[]], {
        error: "Choose an authentication type from the list.",
      })
      .optional(),
  ),
  /** "all" is no filter. */
  result: emptyIsNone
    .pipe(z.enum(["all", ...TRANSACTION_RESULTS], { error: "Choose Success, Failure or All." }).optional())
    .transform((r) => (r === "all" ? undefined : r)),
  from: date,
  to: date,
} satisfies { [K in keyof TransactionFilters]-?: z.ZodType<TransactionFilters[K], string> };

/**
 * The Transactions page's filters from the URL: trimmed and length-capped; a value with
 * unsupported characters (NUL, controls, lone surrogates) or not one of a list's choices is
 * reported (the CSV export answers 400 with it) and never searched for.
 */
export function parseTransactionFilters(params: Params): {
  filters: TransactionFilters;
  page: number;
  errors: Record<string, string>;
} {
  const { values: filters, errors } = parseParams(params, FIELDS);
  checkDateRange(filters, errors);
  return { filters, page: pageParam(params), errors };
}

/** What the page says when a filter's value in the URL is left out: plain words, never validation text. */
const FALLBACK_NOTICES: Record<keyof TransactionFilters, string> = {
  requestId: "The Request ID in the link has characters that cannot be searched for, so it is not used.",
  merchantId: "The Merchant ID in the link has characters that cannot be searched for, so it is not used.",
  keyId: "The Key ID in the link has characters that cannot be searched for, so it is not used.",
  authType: "The authentication type in the link is not one of the list's types, so all types are shown.",
  result: "The result in the link is not Success or Failure, so all results are shown.",
  from: "The From date in the link is not a date, so the list starts at the first transaction.",
  to: "The To date in the link is not a date, so the list runs to the newest transaction.",
};

/**
 * The Transactions page's reading of the URL: a value it cannot use is left out (the filter
 * keeps its default) and a sentence says so.
 */
export function transactionFiltersOrDefaults(params: Params): {
  filters: TransactionFilters;
  page: number;
  notices: string[];
} {
  const { filters, page, errors } = parseTransactionFilters(params);
  const notices = dropInvalidFilters(
    filters,
    errors,
    FALLBACK_NOTICES,
    "The To date in the link is before the From date, so the list runs to the newest transaction.",
  );
  return { filters, page, notices };
}

/** The filters as URL params (empty ones left out), with the page when past the first. */
export function transactionFiltersToParams(filters: TransactionFilters, page?: number): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of Object.keys(FIELDS) as (keyof TransactionFilters)[]) {
    const v = filters[key];
    if (v) p.set(key, v);
  }
  if (page && page > 1) p.set("page", String(page));
  return p;
}
