/**
 * Issue 21: no list is scoped by a materialised list of org IDs. A portfolio may have
 * 100,000+ MIDs; their IDs sent back as `in: [...]` exceed PostgreSQL's bind-parameter limit
 * (Prisma P2029) and are O(organizations) anyway. Scope by the hierarchy instead
 * (lib/orgs/scope.ts). This scans lib/ and app/ with the TypeScript parser and fails on an
 * `in:` whose value comes from `organization.findMany` (inline, or through a variable).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === "generated" || f === "node_modules" ? [] : sources(p);
    return /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

const ORG_QUERY = /\borganization\s*\.\s*findMany\s*\(/;

/** `in:` properties fed from a query of organizations, as "file:line: text". */
export function orgIdListsIn(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const fromOrgs = new Set<string>();
  const found: string[] = [];
  const collect = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.initializer && ORG_QUERY.test(node.initializer.getText(sf))) {
      const names: string[] = [];
      const bind = (n: ts.BindingName) => {
        if (ts.isIdentifier(n)) names.push(n.text);
        else n.elements.forEach((e) => !ts.isOmittedExpression(e) && bind(e.name));
      };
      bind(node.name);
      names.forEach((n) => fromOrgs.add(n));
    }
    ts.forEachChild(node, collect);
  };
  collect(sf);
  const check = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && node.name.getText(sf) === "in") {
      const value = node.initializer;
      let bad = ORG_QUERY.test(value.getText(sf));
      const walk = (n: ts.Node) => {
        if (ts.isIdentifier(n) && fromOrgs.has(n.text)) bad = true;
        ts.forEachChild(n, walk);
      };
      walk(value);
      if (bad) {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
        found.push(`${file}:${line + 1}: ${node.getText(sf).replace(/\s+/g, " ").slice(0, 120)}`);
      }
    }
    ts.forEachChild(node, check);
  };
  check(sf);
  return found;
}

describe("scoping by the hierarchy, never by a list of org IDs", () => {
  it("no `in:` in lib/ or app/ is fed from a query of organizations", () => {
    const files = [...sources("lib"), ...sources("app")];
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => orgIdListsIn(f, readFileSync(f, "utf8")))).toEqual([]);
  });

  it("catches the patterns that broke Audit and Transactions at 100,000 MIDs", () => {
    // lib/audit-log.ts before issue 21: load every org below the scope, send the IDs back.
    const audit = `
      async function auditWhere(scope) {
        const orgs = await prisma.organization.findMany({ where: orgsWithin(scope), select: { id: true } });
        return { orgId: { in: orgs.map((o) => o.id) } };
      }`;
    // lib/gateway-transactions.ts before issue 21: the same, inline.
    const transactions = `
      const below = { merchantId: { in: (await prisma.organization.findMany({ where: { portfolioId: id } })).map((o) => o.id) } };`;
    // Destructured, and through a second variable.
    const indirect = `
      const [orgs, total] = await Promise.all([db.organization.findMany({ where }), db.organization.count({ where })]);
      const ids = orgs.map((o) => o.id);
      await db.key.findMany({ where: { orgId: { in: orgs.map((o) => o.id) } } });`;
    expect(orgIdListsIn("audit.ts", audit)).toHaveLength(1);
    expect(orgIdListsIn("tx.ts", transactions)).toHaveLength(1);
    expect(orgIdListsIn("indirect.ts", indirect)).toHaveLength(1);
  });

  it("leaves lists that are not the hierarchy's alone (one page of people, a key's assignments)", () => {
    const fine = `
      const ids = await prisma.$queryRaw\`SELECT id FROM users LIMIT 50\`;
      await prisma.user.findMany({ where: { id: { in: ids.map((r) => r.id) } } });
      await prisma.user.findMany({ where: { orgId: { in: selfAndAncestors(org) } } });`;
    expect(orgIdListsIn("fine.ts", fine)).toEqual([]);
  });
});
