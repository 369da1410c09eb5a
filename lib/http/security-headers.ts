/**
 * The security headers KeyCenter sends. Pages and portal routes get them from proxy.ts (a
 * Content-Security-Policy with a fresh script nonce per request); the gateway's endpoints,
 * which the proxy skips to stay cheap, add the static ones themselves (withGatewayHeaders).
 */

/** Sent on every response: no MIME sniffing, no framing, no referrer to other sites, no camera, microphone or location. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

/** HSTS, sent only on a request that arrived over TLS (requestIsHttps): two years, subdomains too. */
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The portal's policy. Scripts: only those carrying this response's nonce, and what they load
 * ('strict-dynamic': Next's bootstrap loads its chunks); `next dev` also needs eval. Styles:
 * the compiled CSS files, plus inline styles (React style attributes and the UI kit's
 * positioning cannot carry a nonce). Forms post to this origin only (the Live Console's
 * checkout posts to /pay here). Nothing may frame a page.
 */
export function portalCsp({ nonce, dev, https }: { nonce: string; dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** A JSON or SOAP answer: nothing in it may load or run, and nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The hosted checkout's receipt (/pay): static HTML with one inline style sheet, no script, no form. */
export const CHECKOUT_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A fresh nonce: 16 random bytes, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Adds the static headers and `csp` to a gateway answer (the gateway's routes are not behind proxy.ts). */
export function withGatewayHeaders(response: Response, csp: string = API_CSP): Response {
  let headers = response.headers;
  try {
    headers.set("Content-Security-Policy", csp);
  } catch {
    // An immutable Response (Response.redirect, a fetched one): copy it.
    response = new Response(response.body, response);
    headers = response.headers;
    headers.set("Content-Security-Policy", csp);
  }
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) headers.set(name, value);
  return response;
}
