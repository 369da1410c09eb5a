import { describe, expect, it } from "vitest";
import { metaEditMessage } from "@/lib/keys/meta-messages";

describe("Edit Key messages in plain words", () => {
  it("names a single MID added or removed", () => {
    expect(
      metaEditMessage({ before: "CUSTOM", after: "CUSTOM", added: 0, removed: 1, removedMids: ["merchant12379"] }),
    ).toBe("merchant12379 removed.");
    expect(
      metaEditMessage({ before: "CUSTOM", after: "CUSTOM", added: 1, removed: 0, addedMids: ["merchant12380"] }),
    ).toBe("merchant12380 added.");
  });
  it("counts with the right plural", () => {
    expect(metaEditMessage({ before: "CUSTOM", after: "CUSTOM", added: 3, removed: 1, removedMids: ["a", "b"] })).toBe(
      "3 MIDs added, 1 MID removed.",
    );
    expect(metaEditMessage({ before: "CUSTOM", after: null, added: 0, removed: 1 })).toBe(
      "No longer a meta key: removed from 1 MID.",
    );
  });
  it("says what the scope became", () => {
    expect(metaEditMessage({ before: "CUSTOM", after: "ALL", added: 0, removed: 4 })).toBe(
      "Now assigned to all current and future MIDs.",
    );
    expect(metaEditMessage({ before: null, after: "ALL", added: 0, removed: 0 })).toBe(
      "Converted to a meta key. Now assigned to all current and future MIDs.",
    );
    expect(metaEditMessage({ before: null, after: "CUSTOM", added: 2, removed: 0 })).toBe(
      "Converted to a meta key for a custom MID selection. 2 MIDs added.",
    );
    expect(metaEditMessage({ before: "CUSTOM", after: "CUSTOM", added: 0, removed: 0 })).toBe("No changes.");
  });
});
