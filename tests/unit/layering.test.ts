/**
 * The layering rules of .dependency-cruiser.mjs (run by `npm run lint`), each proved once on
 * tests/fixtures/layering/: one deliberately bad file per rule, and good files that must pass.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const FIXTURE = "tests/fixtures/layering/";

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruise(): Violation[] {
  const run = spawnSync(
    path.resolve("node_modules/.bin/depcruise"),
    ["--config", ".dependency-cruiser.mjs", "--output-type", "json", FIXTURE],
    { encoding: "utf8", env: { ...process.env, LAYERING_ROOT: FIXTURE } },
  );
  if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe("layering (dependency-cruiser)", () => {
  const violations = cruise().map((v) => ({
    rule: v.rule.name,
    from: v.from.replace(FIXTURE, ""),
    to: v.to.replace(FIXTURE, ""),
  }));

  it.each([
    ["no-circular", "lib/cycle-a.ts", "lib/cycle-b.ts"],
    ["lib-not-app-or-components", "lib/uses-route.ts", "app/page.ts"],
    ["components-no-database", "components/queries-database.ts", "lib/db.ts"],
    ["app-no-database", "app/queries-database.ts", "lib/db.ts"],
    ["client-no-server-only", "components/client-server-only.tsx", "lib/server-thing.ts"],
    ["client-no-node-builtins", "components/client-node.tsx", "crypto"],
  ])("%s: refuses %s -> %s", (rule, from, to) => {
    expect(violations).toContainEqual({ rule, from, to });
  });

  it("refuses nothing else: a service may use the database, a client component may call a server action", () => {
    expect(violations).toHaveLength(6);
  });
});
