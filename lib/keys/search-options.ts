import type { KeyType } from "@/lib/generated/prisma/enums";
import { KEY_TYPES } from "./types";

/**
 * Search Filters of the Key Management page (guide: "Search for Keys Using Filters").
 * Filters live in the URL; every value has the guide's default. A value no list has falls back
 * to its default with a notice above the results, a typed value that cannot be read gets a
 * message next to its field (search-filters.ts reads them; this module has no validator, so
 * the search form ships without one).
 */
/** The preset date ranges, by length in days, as the guide words them. */
const PERIODS = { 7: "7 days", 30: "30 days", 60: "60 days", 90: "90 days", 365: "12 months" } as const;
type Days = keyof typeof PERIODS;

/** `last7`/"Last 7 days" … or `next7`/"Next 7 days" …, for the given lengths. */
function presets<P extends "last" | "next", D extends Days>(prefix: P, days: readonly D[]) {
  const word = prefix === "last" ? "Last" : "Next";
  return days.map((d) => ({ value: `${prefix}${d}` as `${P}${D}`, label: `${word} ${PERIODS[d]}` }));
}

const ALL_DATES = { value: "all", label: "All Dates" } as const;
const CUSTOM_DATE = { value: "custom", label: "Custom Date" } as const;

/** Created At: all, then the past (no 60 days in the guide's list), then a custom range. */
export const CREATED_AT_OPTIONS = [ALL_DATES, ...presets("last", [7, 30, 90, 365]), CUSTOM_DATE] as const;

/** Expires In: the future first (the default, 60 days, among them), then all and a custom range. */
export const EXPIRES_IN_OPTIONS = [...presets("next", [7, 30, 60, 90, 365]), ALL_DATES, CUSTOM_DATE] as const;

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

/** The filters as URL params, leaving out defaults (so the URL stays short and shareable). */
export function filtersToParams(f: Partial<KeySearchFilters>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === "" || v === (DEFAULT_FILTERS as Record<string, unknown>)[k]) continue;
    p.set(k, String(v));
  }
  return p;
}
