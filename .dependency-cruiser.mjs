/**
 * The layering of DESIGN.md ("Shape"), checked by `npm run lint`:
 *   app/ (routes) and components/ (UI) -> lib/actions -> lib/ services -> lib/db (Prisma).
 * tests/unit/layering.test.ts proves each rule on tests/fixtures/layering/, a tree with one
 * deliberately bad file per rule: it runs this same file with LAYERING_ROOT set to that folder.
 */
import fs from "node:fs";
import path from "node:path";

/** Where app/, components/ and lib/ are, relative to the working directory ("" = this repo). */
const ROOT = process.env.LAYERING_ROOT ?? "";
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const under = (dirs) => `^${escape(ROOT)}(${dirs.join("|")})/`;

function sources(dir) {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) => {
    const p = path.posix.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(p);
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}
const head = (file) => fs.readFileSync(path.join(ROOT, file), "utf8").slice(0, 2000);
/** A directive is the first statement, after comments only. */
const directive = (name) => new RegExp(`^(?:\\s|//[^\\n]*\\n|/\\*[\\s\\S]*?\\*/)*["']${name}["']`);
const asPaths = (files) => files.map((f) => `^${escape(ROOT + f)}$`);

const all = ["app", "components", "lib"].flatMap(sources);
/** Client components: a file whose first statement is "use client". */
const clientFiles = all.filter((f) => directive("use client").test(head(f)));
/** Modules marked server-only (import "server-only"): lib/actions/define-action.ts and its kin. */
const markedServerOnly = all.filter((f) => /^import ["']server-only["'];?$/m.test(head(f)));

/** The database client: Prisma, its generated code and the driver beside it. */
const DATABASE = `^${escape(ROOT)}lib/(db|db-driver)\\.ts$|^${escape(ROOT)}lib/generated/prisma/`;
/** Server-only without the marker (scripts outside Next.js import them too, where it would throw). */
const SERVER_ONLY = [
  DATABASE,
  `^${escape(ROOT)}lib/auth/(session|auth|page)\\.ts$`,
  ...asPaths(markedServerOnly),
  "^node_modules/server-only/",
];

/** @type {import("dependency-cruiser").IConfiguration} */
const config = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import cycles, type-only imports included (tsPreCompilationDeps).",
      from: { path: under(["app", "components", "lib"]) },
      to: { circular: true },
    },
    {
      name: "lib-not-app-or-components",
      severity: "error",
      comment: "lib/ is everything that is not a route or UI: it never imports app/ or components/.",
      from: { path: under(["lib"]) },
      to: { path: under(["app", "components"]) },
    },
    {
      name: "components-no-database",
      severity: "error",
      comment: "Components never import the database client: they call lib/actions or receive data.",
      from: { path: under(["components"]) },
      to: { path: DATABASE },
    },
    {
      name: "app-no-database",
      severity: "error",
      comment: "Routes never query the database themselves: they call lib/ services.",
      from: { path: under(["app"]) },
      to: { path: DATABASE },
    },
    {
      name: "client-no-server-only",
      severity: "error",
      comment:
        'A "use client" file never imports a server-only module (the database, the session, the action ' +
        'framework, anything marked import "server-only"); it calls server actions ("use server" modules).',
      from: { path: clientFiles.length ? asPaths(clientFiles) : "^$^" },
      to: { path: SERVER_ONLY },
    },
    {
      name: "client-no-node-builtins",
      severity: "error",
      comment: 'A "use client" file runs in the browser: no node: built-ins.',
      from: { path: clientFiles.length ? asPaths(clientFiles) : "^$^" },
      to: { dependencyTypes: ["core"] },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "lib/generated"] },
    exclude: { path: ["^\\.next", "^node_modules"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

export default config;
