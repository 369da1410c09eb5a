import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Every file named `name` under `dir` (e.g. every route.ts or page.tsx under app/). */
export function files(dir: string, name: string | ((file: string) => boolean)): string[] {
  const match = typeof name === "string" ? (f: string) => f === name : name;
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p, match) : match(f) ? [p] : [];
  });
}

/**
 * Every server action module: each .ts file that starts with "use server", wherever it is
 * (lib/actions/<domain>/<verb-noun>.ts by convention, DESIGN.md), found from the code so that
 * a new action cannot be left out of the authorization matrix, the step-up matrix or the fuzz test.
 */
export function serverActionFiles(): string[] {
  return ["app", "components", "lib"]
    .flatMap((dir) => files(dir, (f) => /\.tsx?$/.test(f)))
    .filter((f) => !f.startsWith(path.join("lib", "generated")))
    .filter((f) => readFileSync(f, "utf8").startsWith('"use server"'))
    .sort();
}

/** Every exported server action, by its exported name (names are unique across modules). */
export async function serverActions(): Promise<Map<string, (...args: unknown[]) => Promise<unknown>>> {
  const out = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  for (const f of serverActionFiles()) {
    const mod: Record<string, unknown> = await import(path.resolve(f));
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn !== "function") continue;
      if (out.has(name)) throw new Error(`Two server actions are exported as ${name}`);
      out.set(name, fn as never);
    }
  }
  return out;
}
