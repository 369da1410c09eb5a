import { readFileSync } from "node:fs";
import path from "node:path";
import { ensureBuild } from "./served-app";

/**
 * A server action called over HTTP as the browser calls it, for tests that drive served
 * processes (tests/reliability): its ID from the production build's
 * server-reference-manifest.json, a POST to the page with the `Next-Action` header and, as the
 * body, React's reply encoding of one FormData argument as the browser sends it
 * (`encodeReply([formData])`: the form's fields as "_1_<name>", then the argument list `["$K1"]`
 * in part "0"; the server reads "0" as soon as it arrives, so it comes last). The answer is the
 * RSC stream.
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

export async function callServerAction(
  base: string,
  page: string,
  actionId: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; setCookie: string[] }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
  form.append("0", JSON.stringify(["$K1"]));
  const res = await fetch(`${base}${page}`, {
    method: "POST",
    headers: { "next-action": actionId, origin: base, accept: "text/x-component", ...headers },
    body: form,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.text(), setCookie: res.headers.getSetCookie() };
}
