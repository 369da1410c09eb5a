import { peerOptions, requestIsHttps, type PeerOptions } from "@/lib/http/client-ip";

/**
 * The public URL: the address people open KeyCenter at, `BETTER_AUTH_URL` (default
 * `http://localhost:$PORT`, as `npm start` sets it). Behind a reverse proxy that terminates
 * TLS it is the proxy's https address. It decides:
 * - every absolute URL KeyCenter writes (invitation links, links in emails): `publicUrl(path)`;
 * - whether the session cookie is `Secure` (with better-auth's `__Secure-` prefix): exactly
 *   when it is https (lib/auth/auth.ts), so a test environment on plain http keeps its session;
 * - whether HSTS is sent (proxy.ts): only when it is https;
 * - the host the gateway accepts for HTTP Signature `host` and JWT `request-host`
 *   (lib/gateway/authenticate.ts adds its host).
 */

type Env = Record<string, string | undefined>;

/** The public URL's origin, `https://keycenter.example.com` (no path, no trailing slash). */
export function publicOrigin(env: Env = process.env): string {
  const raw = env.BETTER_AUTH_URL?.trim() || `http://localhost:${env.PORT ?? "3000"}`;
  try {
    return new URL(raw).origin;
  } catch {
    return raw.replace(/\/+$/, "");
  }
}

/** An absolute URL on the public address: `publicUrl("/invite/abc")` → `https://keycenter.example.com/invite/abc`. */
export function publicUrl(path: string, env: Env = process.env): string {
  return `${publicOrigin(env)}${path.startsWith("/") ? path : `/${path}`}`;
}

/** Whether the public URL is https: then the session cookie is Secure and HSTS may be sent. */
export function publicUrlIsHttps(env: Env = process.env): boolean {
  return publicOrigin(env).toLowerCase().startsWith("https://");
}

/** How a request's address differs from the public URL, in a way that stops or misdirects sign-in. */
export type AddressMismatch =
  /** Opened over http while the public URL is https: the browser drops the Secure session cookie. */
  | { kind: "http-for-https"; opened: string; expected: string }
  /** Opened over https while the public URL is http: the session cookie is not Secure and no HSTS is sent. */
  | { kind: "https-for-http"; opened: string; expected: string }
  /** Opened at another host (or port) than the public URL's. */
  | { kind: "host"; opened: string; expected: string };

/**
 * Compares the address a request was made to with the public URL. The scheme is the
 * connection's, or (from KEYCENTER_TRUSTED_PROXIES only) X-Forwarded-Proto's: requestIsHttps.
 * When the server does not stamp its requests' peers, the scheme is not known and only the host
 * is compared. The host is the Host header (a reverse proxy passes the original one on;
 * X-Forwarded-Host is never read). null when they agree, or when the request names no host.
 */
export function addressMismatch(
  h: Headers,
  env: Env = process.env,
  options: PeerOptions = peerOptions(env),
): AddressMismatch | null {
  const expected = publicOrigin(env);
  let want: URL;
  try {
    want = new URL(expected);
  } catch {
    return null;
  }
  const host = h.get("host")?.trim().toLowerCase();
  if (!host) return null;
  const https = requestIsHttps(h, options);
  const scheme = options.stamped ? (https ? "https:" : "http:") : want.protocol;
  const opened = `${scheme}//${withoutDefaultPort(host, scheme)}`;
  if (options.stamped && want.protocol === "https:" && !https) return { kind: "http-for-https", opened, expected };
  if (withoutDefaultPort(host, scheme) !== want.host.toLowerCase()) return { kind: "host", opened, expected };
  if (options.stamped && want.protocol === "http:" && https) return { kind: "https-for-http", opened, expected };
  return null;
}

function withoutDefaultPort(host: string, scheme: string): string {
  const port = scheme === "https:" ? ":443" : ":80";
  return host.endsWith(port) ? host.slice(0, -port.length) : host;
}
