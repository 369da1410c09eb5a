import { describe, expect, it } from "vitest";
import { toInput, unsupportedCharacterPath } from "@/lib/actions/define-action";

describe("server action input", () => {
  it("turns form fields named like Object's own properties into plain fields", () => {
    const form = new FormData();
    form.append("constructor", "a");
    form.append("toString", "b");
    form.append("__proto__", "c");
    form.append("permissions", "keys.view");
    form.append("permissions", "keys.create");
    const input = toInput(form) as Record<string, unknown>;
    expect(Object.entries(input)).toEqual([
      ["constructor", "a"],
      ["toString", "b"],
      ["__proto__", "c"],
      ["permissions", ["keys.view", "keys.create"]],
    ]);
  });

  it("finds NUL and lone surrogates anywhere in the input, and nothing in ordinary text", () => {
    expect(unsupportedCharacterPath({ name: "Grüße 👋", list: ["a", { b: "tab\there" }] })).toBeNull();
    expect(unsupportedCharacterPath({ name: "a\u0000b" })).toBe("name");
    expect(unsupportedCharacterPath({ edit: { scope: "\uD800" } })).toBe("edit.scope");
    expect(unsupportedCharacterPath({ list: ["ok", "x\uDC00"] })).toBe("list.1");
    expect(unsupportedCharacterPath("\u0000")).toBe("form");
    expect(unsupportedCharacterPath({ ["k\u0000"]: "v" })).toBe("form");
  });
});
