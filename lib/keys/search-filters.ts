import { z } from "zod";
import { firstParam, safeText } from "@/lib/validation";
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
    .max(100)
    .regex(/^[A-Za-z0-9_.-]*$/, "A merchant ID has letters, digits, _ . and - only.")
    .optional(),
  perPage: z.coerce
    .number()
    .refine((n) => (PER_PAGE_OPTIONS as readonly number[]).includes(n), "Choose 25, 50 or 100."),
  sort: z.enum(values(SORT_OPTIONS)),
  page: z.coerce.number().int().min(1).max(100_000),
};

/** Reads filters from URL search params: defaults for what is missing, errors for what is wrong. */
export function parseFilters(params: Record<string, string | string[] | undefined>): {
  filters: KeySearchFilters;
  errors: Record<string, string>;
} {
  const filters: Record<string, unknown> = { ...DEFAULT_FILTERS };
  const errors: Record<string, string> = {};
  for (const [name, schema] of Object.entries(FIELDS)) {
    const value = firstParam(params, name);
    if (value === undefined || value === "") continue;
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) filters[name] = parsed.data;
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
  return { filters: f, errors };
}

