import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS } from "@/lib/keys/search-options";
import { parseFilters } from "@/lib/keys/search-filters";

/**
 * Key Management's URL filters (issue 17 §3): a value no list has falls back to the list's
 * default with a notice in plain words, never a validator's text; typed values keep their field
 * messages.
 */
describe("Key Management search: unknown URL filter values", () => {
  it("fall back to the defaults, each with a sentence that names what was dropped", () => {
    const { filters, errors, notices } = parseFilters({
      type: "foo",
      status: "xyz",
      createdAt: "yesterday",
      expiresIn: "soon",
      sort: "random",
      perPage: "7",
      page: "-3",
    });
    expect(filters).toMatchObject({
      type: DEFAULT_FILTERS.type,
      status: DEFAULT_FILTERS.status,
      createdAt: DEFAULT_FILTERS.createdAt,
      expiresIn: DEFAULT_FILTERS.expiresIn,
      sort: DEFAULT_FILTERS.sort,
      perPage: DEFAULT_FILTERS.perPage,
      page: 1,
    });
    expect(errors).toEqual({});
    expect(notices).toEqual([
      'Unknown Created At choice "yesterday" ignored; showing All Dates.',
      'Unknown Expires In choice "soon" ignored; showing the next 60 days.',
      'Unknown key status "xyz" ignored; showing all statuses.',
      'Unknown key type "foo" ignored; showing all key types.',
      'Unknown number of records per page "7" ignored; showing 25 records per page.',
      'Unknown sort order "random" ignored; showing Expiring Soon.',
      'Unknown page "-3" ignored; showing page 1.',
    ]);
  });

  it("never quote validator text, control characters or a long value", () => {
    const { notices } = parseFilters({ status: "a\u0000b", type: "x".repeat(500) });
    expect(notices).toEqual([
      "Unknown key status (with unsupported characters) ignored; showing all statuses.",
      `Unknown key type "${"x".repeat(40)}…" ignored; showing all key types.`,
    ]);
    expect(notices.join(" ")).not.toMatch(/invalid|expected|option/i);
  });

  it("keep the values the lists have, and field messages for typed values", () => {
    const { filters, errors, notices } = parseFilters({
      type: "REST_SHARED_SECRET",
      status: "active",
      createdStart: "13/40/2026",
      createdAt: "custom",
      merchant: "m".repeat(101),
    });
    expect(notices).toEqual([]);
    expect(filters).toMatchObject({ type: "REST_SHARED_SECRET", status: "active", createdAt: "custom" });
    expect(errors).toEqual({
      createdStart: "Use the format YYYY-MM-DD.",
      merchant: "A merchant ID is at most 100 characters.",
    });
  });
});
