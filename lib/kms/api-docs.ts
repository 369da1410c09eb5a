import { readFile } from "node:fs/promises";
import path from "node:path";
import { newNonce, portalCsp } from "@/lib/http/security-headers";

/**
 * /api/docs: the Key Management API's reference, Swagger UI (swagger-ui-dist, maintained by
 * SmartBear) rendering the API's OpenAPI document (GET /kms/v2/openapi.json, lib/kms/openapi.ts).
 * Everything comes from this origin, nothing from a CDN: the page works offline. It runs under
 * the portal's policy unchanged (proxy.ts): its two scripts carry this request's nonce, its
 * styles are a file from this origin (plus the inline styles the policy already allows), its
 * images data: URIs. "Try it out" is off (a request must be signed with the key's secret), and
 * so is the online validator badge.
 */

/** The Swagger UI files /api/docs serves, from node_modules/swagger-ui-dist (read once). */
export const SWAGGER_UI_FILES = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
} as const;
export type SwaggerUiFile = keyof typeof SWAGGER_UI_FILES;

const DIST = path.join(process.cwd(), "node_modules", "swagger-ui-dist");
const files = new Map<SwaggerUiFile, Promise<Buffer>>();
let version: Promise<string> | undefined;

/** swagger-ui-dist's version: the assets' URLs carry it, so that a cached copy never outlives an upgrade. */
function swaggerUiVersion(): Promise<string> {
  return (version ??= readFile(path.join(DIST, "package.json"), "utf8").then(
    (text) => (JSON.parse(text) as { version: string }).version,
  ));
}

/** One of Swagger UI's files, cacheable for a day. */
export async function swaggerUiAsset(name: SwaggerUiFile): Promise<Response> {
  let bytes = files.get(name);
  if (!bytes) {
    bytes = readFile(path.join(DIST, name));
    files.set(name, bytes);
    bytes.catch(() => files.delete(name));
  }
  return new Response(new Uint8Array(await bytes), {
    headers: { "content-type": SWAGGER_UI_FILES[name], "cache-control": "public, max-age=86400" },
  });
}

/** A nonce as proxy.ts makes them (base64): safe inside an HTML attribute. */
const NONCE = /^[A-Za-z0-9+/]{16,64}={0,2}$/;

/**
 * The page. `headers`: the request's, where proxy.ts put this response's nonce (x-nonce); without
 * one (not behind proxy.ts) the page makes its own and sends the portal's policy with it.
 */
export async function apiDocsResponse(headers: Headers): Promise<Response> {
  const given = headers.get("x-nonce");
  const nonce = given && NONCE.test(given) ? given : newNonce();
  const v = encodeURIComponent(await swaggerUiVersion());
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Key Management API · KeyCenter</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css?v=${v}">
<style>
  body { margin: 0; font-family: system-ui, sans-serif; background: #fff; }
  .kc-docs-header { display: flex; gap: 1rem; align-items: baseline; padding: 0.75rem 1.25rem; border-bottom: 1px solid #e2e8f0; }
  .kc-docs-header a { color: #1d4ed8; }
</style>
</head>
<body>
<header class="kc-docs-header">
  <a href="/">KeyCenter</a>
  <span>Key Management API reference</span>
  <a href="/kms/v2/openapi.json">OpenAPI document (JSON)</a>
</header>
<main id="swagger-ui" aria-label="Key Management API reference"></main>
<script nonce="${nonce}" src="/api/docs/swagger-ui-bundle.js?v=${v}"></script>
<script nonce="${nonce}">
  window.ui = SwaggerUIBundle({
    url: "/kms/v2/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    supportedSubmitMethods: [],
    defaultModelsExpandDepth: 0,
  });
</script>
</body>
</html>
`;
  const response = new Response(html, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
  if (nonce !== given) response.headers.set("Content-Security-Policy", portalCsp({ nonce, dev: false, https: false }));
  return response;
}
