import { firstParam, hasUnsupportedCharacters, pageParam, UNSUPPORTED_CHARACTERS } from "@/lib/validation";

export interface TransactionFilters {
  requestId?: string;
  merchantId?: string;
}

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
  const filters: TransactionFilters = {};
  const errors: Record<string, string> = {};
  for (const [key, max] of [
    ["requestId", 64],
    ["merchantId", 100],
  ] as const) {
    const v = firstParam(params, key)?.trim();
    if (!v) continue;
    if (hasUnsupportedCharacters(v)) errors[key] = UNSUPPORTED_CHARACTERS;
    else filters[key] = Array.from(v).slice(0, max).join("");
  }
  return { filters, page: pageParam(params), errors };
}
