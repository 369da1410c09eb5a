import { describe, expect, it } from "vitest";
import { cappedCountLabel, COUNT_CAP, countLabel, pageInfo } from "@/lib/pagination";

describe("capped page counts", () => {
  it("counts exactly up to the cap", () => {
    expect(pageInfo(0, 1, 25, false)).toEqual({ total: 0, more: false, page: 1, pageCount: 1 });
    expect(pageInfo(26, 2, 25, false)).toEqual({ total: 26, more: false, page: 2, pageCount: 2 });
    expect(pageInfo(COUNT_CAP, 1, 25, true)).toEqual({ total: COUNT_CAP, more: false, page: 1, pageCount: 400 });
  });
  it("past the cap: 'more than', and Next while rows follow", () => {
    expect(pageInfo(COUNT_CAP + 1, 1, 25, true)).toEqual({ total: COUNT_CAP, more: true, page: 1, pageCount: 400 });
    expect(pageInfo(COUNT_CAP + 1, 400, 25, true).pageCount).toBe(401);
    expect(pageInfo(COUNT_CAP + 1, 900, 25, true).pageCount).toBe(901);
    expect(pageInfo(COUNT_CAP + 1, 900, 25, false).pageCount).toBe(900);
  });
  it("labels", () => {
    expect(countLabel({ total: 1, more: false }, "event", "events")).toBe("1 event");
    expect(countLabel({ total: 1234, more: false }, "event", "events")).toBe("1,234 events");
    expect(countLabel({ total: COUNT_CAP, more: true }, "event", "events")).toBe("more than 10,000 events");
    expect(cappedCountLabel(1, 100_000, "MID", "MIDs")).toBe("1 MID");
    expect(cappedCountLabel(100_000, 100_000, "MID", "MIDs")).toBe("100,000 MIDs");
    expect(cappedCountLabel(100_001, 100_000, "MID", "MIDs")).toBe("more than 100,000 MIDs");
  });
});
