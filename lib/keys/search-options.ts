import { z } from "zod";
import type { KeyType } from "@/lib/generated/prisma/enums";
import { firstParam, safeText } from "@/lib/validation";
import { KEY_TYPES } from "./types";

/**
 * Search Filters of the Key Management page (guide: "Search for Keys Using Filters").
 * Filters live in the URL; every value has the guide's default, and a value that cannot be
 * read falls back to its default with a message next to its field.
 */
export const CREATED_AT_OPTIONS = [
  { value: "all", label: "All Dates" },
  { value: "last7", label: "Last 7 days" },
  { value: "last30", label: "Last 30 days" },
  { value: "last90", label: "Last 90 days" },
  { value: "last365", label: "Last 12 months" },
  { value: "custom", label: "Custom Date" },
] as const;

export const EXPIRES_IN_OPTIONS = [
  { value: "next7", label: "Next 7 days" },
  { value: "next30", label: "Next 30 days" },
  { value: "next60", label: "Next 60 days" },
  { value: "next90", label: "Next 90 days" },
  { value: "next365", label: "Next 12 months" },
  { value: "all", label: "All Dates" },
  { value: "custom", label: "Custom Date" },
] as const;

export const STATUS_OPTIONS = [
  { value: "all", label: "All" },
  { value: "active", label: "Active" },
  { value: "inactive", label: "Inactive" },
] as const;

export const PER_PAGE_OPTIONS = [25, 50, 100] as const;

/** D4: the guide's descriptions of the two Expiring orders are swapped; KeyCenter means the words. */
export const SORT_OPTIONS = [
  { value: "expiring_soon", label: "Expiring Soon" },
  { value: "expiring_last", label: "Expiring Last" },
  { value: "created_newest", label: "Created Newest" },
  { value: "created_oldest", label: "Created Oldest" },
] as const;

export const KEY_TYPE_OPTIONS = [
  { value: "ALL", label: "All" },
  ...KEY_TYPES.map((t) => ({ value: t.type, label: t.searchLabel })),
] as const;

const values = <T extends readonly { value: string }[]>(opts: T) =>
  opts.map((o) => o.value) as [T[number]["value"], ...T[number]["value"][]];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD.")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a real date.");

export const DEFAULT_FILTERS = {
  createdAt: "all",
  createdStart: undefined,
  createdEnd: undefined,
  expiresIn: "next60",
  expiresStart: undefined,
  expiresEnd: undefined,
  keyId: "",
  status: "all",
  type: "ALL",
  merchant: undefined,
  perPage: 25,
  sort: "expiring_soon",
  page: 1,
} as const;

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

export type KeySearchFilters = {
  createdAt: (typeof CREATED_AT_OPTIONS)[number]["value"];
  createdStart?: string;
  createdEnd?: string;
  expiresIn: (typeof EXPIRES_IN_OPTIONS)[number]["value"];
  expiresStart?: string;
  expiresEnd?: string;
  keyId: string;
  status: (typeof STATUS_OPTIONS)[number]["value"];
  type: KeyType | "ALL";
  merchant?: string;
  perPage: number;
  sort: (typeof SORT_OPTIONS)[number]["value"];
  page: number;
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

/** The filters as URL params, leaving out defaults (so the URL stays short and shareable). */
export function filtersToParams(f: Partial<KeySearchFilters>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === "" || v === (DEFAULT_FILTERS as Record<string, unknown>)[k]) continue;
    p.set(k, String(v));
  }
  return p;
}
