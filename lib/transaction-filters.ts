import { z } from "zod";
import { firstCharacters, pageParam, parseParams, safeText } from "@/lib/validation";

export interface TransactionFilters {
  requestId?: string;
  merchantId?: string;
}

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

const FIELDS = {
  requestId: filterValue(64),
  merchantId: filterValue(100),
} satisfies { [K in keyof TransactionFilters]-?: z.ZodType<TransactionFilters[K], string> };

/**
 * The Transactions page's filters from the URL: trimmed and length-capped; a value with
 * unsupported characters (NUL, controls, lone surrogates) is reported next to its field and
 * never searched for.
 */
export function parseTransactionFilters(params: Record<string, string | string[] | undefined>): {
  filters: TransactionFilters;
  page: number;
  errors: Record<string, string>;
} {
  const { values: filters, errors } = parseParams(params, FIELDS);
  return { filters, page: pageParam(params), errors };
}
