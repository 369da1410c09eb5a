import { readFileSync } from "node:fs";
import path from "node:path";
import { ensureBuild } from "./served-app";

/**
 * Server actions called over HTTP as the browser calls them, for tests that drive served
 * processes (tests/reliability): the action's ID from the production build's
 * server-reference-manifest.json, a POST to the page with the `Next-Action` header and React's
 * reply encoding of the one argument as the body: a FormData argument's fields as "_1_<name>"
 * and then `["$K1"]` in part "0" (the server reads "0" as soon as it arrives, so it comes
 * last), any other argument as JSON in part "0". The answer is the RSC stream, whose row "1" is
 * the action's result.
 */
export async function serverActionId(exportedName: string, filename: string): Promise<string> {
  const dist = await ensureBuild();
  const manifest = JSON.parse(readFileSync(path.join(dist, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, v]) => v.exportedName === exportedName && v.filename === filename,
  );
  if (!found) throw new Error(`no server action ${exportedName} of ${filename} in ${dist}`);
  return found[0];
}

export interface ActionAnswer {
  status: number;
  body: string;
  setCookie: string[];
  /** The action's result (row "1" of the RSC stream), or null when there is none. */
  result: { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } } | null;
}

async function post(base: string, page: string, actionId: string, form: FormData, headers: Record<string, string>) {
  const res = await fetch(`${base}${page}`, {
    method: "POST",
    headers: { "next-action": actionId, origin: base, accept: "text/x-component", ...headers },
    body: form,
    redirect: "manual",
    signal: AbortSignal.timeout(60_000),
  });
  const body = await res.text();
  const row = /^1:(\{.*\})$/m.exec(body)?.[1];
  return { status: res.status, body, setCookie: res.headers.getSetCookie(), result: row ? JSON.parse(row) : null };
}

/** An action whose argument is a form (the sign-in form's). */
export function callServerAction(
  base: string,
  page: string,
  actionId: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<ActionAnswer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
  form.append("0", JSON.stringify(["$K1"]));
  return post(base, page, actionId, form, headers);
}

/** An action whose arguments are plain JSON (no string in them may start with "$"); none for `[]`. */
export function callServerActionWith(
  base: string,
  page: string,
  actionId: string,
  args: unknown[],
  headers: Record<string, string> = {},
): Promise<ActionAnswer> {
  const form = new FormData();
  form.append("0", JSON.stringify(args));
  return post(base, page, actionId, form, headers);
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookieHeader(setCookie: string[]): string {
  return setCookie
    .map((c) => c.split(";")[0]!)
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}
