import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NAV, navFor } from "@/components/shell/nav";
import { BUILT_IN_ROLES, type Permission } from "@/lib/auth/permissions";

/**
 * What a page requires, read from its source: requirePageSession("x"), or with
 * requirePageSession() the hasPermission(session, "x") checks it refuses without (forbidden()).
 */
function pageNeeds(href: string): Permission[] {
  const source = readFileSync(path.join("app/(portal)", href, "page.tsx"), "utf8");
  const required = /requirePageSession\("([A-Za-z.]+)"/.exec(source);
  if (required) return [required[1] as Permission];
  if (!/forbidden\(\)/.test(source)) return [];
  return [...source.matchAll(/hasPermission\(session, "([A-Za-z.]+)"\)/g)].map((m) => m[1] as Permission).sort();
}

describe("navigation", () => {
  it("offers each page with exactly the permissions the page requires", () => {
    for (const item of NAV.flatMap((g) => g.items)) {
      expect([...(item.needs ?? [])].sort(), item.href).toEqual(pageNeeds(item.href));
    }
  });

  it("shows a Viewer only the pages a Viewer opens, and an Administrator everything", () => {
    const viewer = BUILT_IN_ROLES.find((r) => r.name === "Viewer")!.permissions;
    const labels = (groups: ReturnType<typeof navFor>) => groups.flatMap((g) => g.items.map((i) => i.label));
    expect(labels(navFor(viewer))).toEqual([
      "Dashboard",
      "Notifications",
      "Key Management",
      "Transactions",
      "Live Console",
    ]);
    expect(navFor(viewer).map((g) => g.section)).not.toContain("Account Management");
    const admin = BUILT_IN_ROLES.find((r) => r.name === "Administrator")!.permissions;
    expect(labels(navFor(admin))).toEqual(NAV.flatMap((g) => g.items.map((i) => i.label)));
  });
});
