import { NextResponse, type NextRequest } from "next/server";
import { peerOptions, requestIsHttps } from "@/lib/http/client-ip";
import { HSTS, newNonce, portalCsp, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { publicUrlIsHttps } from "@/lib/public-url";

/**
 * Security headers for every page and portal route (lib/http/security-headers.ts): a
 * Content-Security-Policy with a fresh script nonce, which Next.js reads from the request's
 * own Content-Security-Policy header and puts on its inline scripts (every page renders
 * dynamically: app/layout.tsx awaits connection()), and HSTS over TLS when the public URL
 * (BETTER_AUTH_URL) is https too: a test environment people open over plain http must not be
 * pinned to https by a visit through a TLS port.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = requestIsHttps(request.headers, peerOptions());
  const csp = portalCsp({ nonce, dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  if (https && publicUrlIsHttps()) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // Not the build's static files, and not the gateway's machine endpoints (their handlers
  // add the static headers themselves: withGatewayHeaders).
  matcher: [
    "/((?!_next/static/|_next/image|favicon\\.ico$|robots\\.txt$|pts/v2/payments$|commerce/1\\.x/transactionProcessor$|pay$).*)",
  ],
};
