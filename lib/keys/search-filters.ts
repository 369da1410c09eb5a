import { z } from "zod";
import { firstCharacters, firstParam, hasUnsupportedCharacters, safeText } from "@/lib/validation";
import {
  CREATED_AT_OPTIONS,
  DEFAULT_FILTERS,
  EXPIRES_IN_OPTIONS,
  KEY_TYPE_OPTIONS,
  type KeySearchFilters,
  PER_PAGE_OPTIONS,
  SORT_OPTIONS,
  STATUS_OPTIONS,
} from "./search-options";

/** Key Management's Search Filters read from the URL, on the server (options: search-options.ts). */
const values = <T extends readonly { value: string }[]>(opts: T) =>
  opts.map((o) => o.value) as [T[number]["value"], ...T[number]["value"][]];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD.")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a real date.");

const FIELDS = {
  createdAt: z.enum(values(CREATED_AT_OPTIONS)),
  createdStart: isoDate.optional(),
  createdEnd: isoDate.optional(),
  expiresIn: z.enum(values(EXPIRES_IN_OPTIONS)),
  expiresStart: isoDate.optional(),
  expiresEnd: isoDate.optional(),
  keyId: safeText().trim().max(100, "A key ID is at most 100 characters."),
  status: z.enum(values(STATUS_OPTIONS)),
  type: z.enum(values(KEY_TYPE_OPTIONS)),
  merchant: z
    .string()
    .trim()
    .max(100, "A merchant ID is at most 100 characters.")
    .regex(/^[A-Za-z0-9_.-]*$/, "A merchant ID has letters, digits, _ . and - only.")
    .optional(),
  perPage: z.coerce
    .number()
    .refine((n) => (PER_PAGE_OPTIONS as readonly number[]).includes(n), "Choose 25, 50 or 100."),
  sort: z.enum(values(SORT_OPTIONS)),
  page: z.coerce.number().int().min(1).max(100_000),
};

/**
 * The filters chosen from a list (and the page): a value the list does not have is dropped for
 * the default, with a notice that says so — the filter as its label names it, and what is shown.
 */
const CHOICES: Partial<Record<keyof typeof FIELDS, { what: string; instead: string }>> = {
  createdAt: { what: "Created At choice", instead: "All Dates" },
  expiresIn: { what: "Expires In choice", instead: "the next 60 days" },
  status: { what: "key status", instead: "all statuses" },
  type: { what: "key type", instead: "all key types" },
  perPage: { what: "number of records per page", instead: "25 records per page" },
  sort: { what: "sort order", instead: "Expiring Soon" },
  page: { what: "page", instead: "page 1" },
};

/** A URL value as a notice may quote it: at most 40 characters, nothing unprintable. */
function quoted(value: string): string {
  if (hasUnsupportedCharacters(value)) return "(with unsupported characters)";
  const shown = firstCharacters(value, 40);
  return `"${shown}${shown.length < value.length ? "…" : ""}"`;
}

/**
 * Reads filters from URL search params: defaults for what is missing; a list value that is not
 * one of the list's falls back to its default with a notice (a sentence, never a validator's
 * text); a typed value that is wrong (a date, a key or merchant ID) gets a field message.
 */
export function parseFilters(params: Record<string, string | string[] | undefined>): {
  filters: KeySearchFilters;
  errors: Record<string, string>;
  notices: string[];
} {
  const filters: Record<string, unknown> = { ...DEFAULT_FILTERS };
  const errors: Record<string, string> = {};
  const notices: string[] = [];
  for (const [name, schema] of Object.entries(FIELDS)) {
    const value = firstParam(params, name);
    if (value === undefined || value === "") continue;
    const parsed = (schema as z.ZodType).safeParse(value);
    const choice = CHOICES[name as keyof typeof FIELDS];
    if (parsed.success) filters[name] = parsed.data;
    else if (choice) notices.push(`Unknown ${choice.what} ${quoted(value)} ignored; showing ${choice.instead}.`);
    else errors[name] = parsed.error.issues[0]?.message ?? "Not a valid choice.";
  }
  const f = filters as KeySearchFilters;
  for (const [kind, start, end] of [
    ["createdAt", "createdStart", "createdEnd"],
    ["expiresIn", "expiresStart", "expiresEnd"],
  ] as const) {
    if (f[kind] !== "custom") continue;
    if (!f[start] && !f[end] && !errors[start]) errors[start] = "Choose a Start Date, an End Date or both.";
    if (f[start] && f[end] && f[start]! > f[end]!) errors[end] = "The End Date must be on or after the Start Date.";
  }
  return { filters: f, errors, notices };
}
