import type { KeyType } from "@/lib/generated/prisma/enums";
import { KEY_TYPES } from "./types";

/**
 * Search Filters of the Key Management page (guide: "Search for Keys Using Filters").
 * Filters live in the URL; every value has the guide's default, and a value that cannot be
 * read falls back to its default with a message next to its field (search-filters.ts reads
 * them; this module has no validator, so the search form ships without one).
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
