import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_NAMES, AUDIT_ACTION_OPTIONS, auditActionName, isAuditActionCode } from "@/lib/audit-actions";

/** Every .ts file under lib/ except the generated Prisma client. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === "generated") return [];
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith(".ts") ? [file] : [];
  });
}

describe("audit action names", () => {
  it("names every action code that lib/ records, in words", () => {
    const recorded = new Set<string>();
    for (const file of sources(path.resolve("lib"))) {
      const text = readFileSync(file, "utf8");
      // `action: "key.delete"`, `action: x ? "user.disable" : "user.enable"`, and the codes passed
      // to updateOrgSettings / the key lifecycle as strings of the same shape.
      for (const m of text.matchAll(/action:\s*[^,\n]*/g)) {
        for (const code of m[0].matchAll(/"((?:auth|key|user|role|org|settings|report|notifications)\.[a-z_.]+)"/g)) {
          recorded.add(code[1]!);
        }
      }
      for (const m of text.matchAll(/updateOrgSettings\(\s*ctx,\s*"([a-z_.]+)"/g)) recorded.add(m[1]!);
    }
    expect(recorded.size).toBeGreaterThan(20);
    const unnamed = [...recorded].filter((code) => !isAuditActionCode(code));
    expect(unnamed).toEqual([]);
  });

  it("offers each action once, by name, and shows an unknown code as it is", () => {
    expect(auditActionName("key.delete")).toBe("Key deleted");
    expect(auditActionName("test.other")).toBe("test.other");
    expect(new Set(AUDIT_ACTION_OPTIONS.map((o) => o.label)).size).toBe(Object.keys(AUDIT_ACTION_NAMES).length);
    const labels = AUDIT_ACTION_OPTIONS.map((o) => o.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, "en")));
  });
});
