import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { withGatewayHeaders } from "@/lib/http/security-headers";
import { config, proxy } from "@/proxy";

/**
 * proxy.ts: the headers of every page, HSTS only over TLS (or from a trusted proxy that says so)
 * and only when the public URL (BETTER_AUTH_URL) is https.
 */

const STAMPED = Symbol.for("keycenter.peer-stamped");
const g = globalThis as Record<symbol, unknown>;

const call = (headers: Record<string, string>) =>
  proxy(new NextRequest("http://keycenter.test/keys", { headers: { "x-keycenter-peer": "203.0.113.9", ...headers } }));

describe("proxy.ts", () => {
  beforeEach(() => {
    g[STAMPED] = true;
    vi.stubEnv("KEYCENTER_TRUSTED_PROXIES", "10.0.0.5");
  });
  afterEach(() => {
    delete g[STAMPED];
    vi.unstubAllEnvs();
  });

  it("sends a CSP with a fresh nonce, and gives Next.js the same policy on the request", () => {
    const a = call({});
    const b = call({});
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    // NextResponse.next({ request: { headers } }) passes request headers on as x-middleware-request-*.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(a.headers.get("x-frame-options")).toBe("DENY");
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("same-origin");
    expect(a.headers.get("permissions-policy")).toBe("camera=(), microphone=(), geolocation=()");
  });

  it("allows eval for scripts only in development", () => {
    vi.stubEnv("NODE_ENV", "development");
    expect(call({}).headers.get("content-security-policy")).toMatch(/script-src[^;]*'unsafe-eval'/);
  });

  it("sends HSTS over TLS, or when a trusted proxy says https; never on a client's word", () => {
    vi.stubEnv("BETTER_AUTH_URL", "https://keycenter.test");
    const hsts = (headers: Record<string, string>) => call(headers).headers.get("strict-transport-security");
    expect(hsts({})).toBeNull();
    expect(hsts({ "x-forwarded-proto": "https" })).toBeNull();
    expect(hsts({ "x-keycenter-peer-proto": "https" })).toMatch(/^max-age=\d{8,}/);
    expect(hsts({ "x-keycenter-peer": "10.0.0.5", "x-forwarded-proto": "https" })).toMatch(/^max-age=/);
    expect(hsts({ "x-keycenter-peer": "10.0.0.5", "x-forwarded-proto": "http" })).toBeNull();
    const tls = call({ "x-keycenter-peer-proto": "https" }).headers.get("content-security-policy");
    expect(tls).toContain("upgrade-insecure-requests");
    g[STAMPED] = false; // a server that does not stamp the peer: its peer headers are the client's
    expect(hsts({ "x-keycenter-peer-proto": "https" })).toBeNull();
  });

  it("sends no HSTS, even over TLS, when the public URL is http (a test environment opened over plain http)", () => {
    const hsts = (headers: Record<string, string>) => call(headers).headers.get("strict-transport-security");
    for (const url of ["http://keycenter.test:3301", undefined]) {
      vi.stubEnv("BETTER_AUTH_URL", url);
      expect(hsts({ "x-keycenter-peer-proto": "https" }), String(url)).toBeNull();
      expect(hsts({ "x-keycenter-peer": "10.0.0.5", "x-forwarded-proto": "https" }), String(url)).toBeNull();
    }
    vi.stubEnv("BETTER_AUTH_URL", "https://keycenter.test:8443");
    expect(hsts({ "x-keycenter-peer-proto": "https" })).toMatch(/^max-age=/);
  });

  it("skips the gateway's machine endpoints and the build's static files, and nothing else", () => {
    const pattern = new RegExp(`^${config.matcher[0]}$`);
    for (const path of ["/pts/v2/payments", "/commerce/1.x/transactionProcessor", "/pay", "/_next/static/chunks/a.js"]) {
      expect(pattern.test(path), path).toBe(false);
    }
    for (const path of ["/", "/sign-in", "/keys", "/keys/export", "/api/health", "/payments", "/pay/x", "/live-console/checkout"]) {
      expect(pattern.test(path), path).toBe(true);
    }
  });
});

describe("the gateway's headers", () => {
  it("adds the static headers and a CSP to a gateway answer, even an immutable one", () => {
    const json = withGatewayHeaders(Response.json({ ok: true }));
    expect(json.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(json.headers.get("x-content-type-options")).toBe("nosniff");
    const redirect = withGatewayHeaders(Response.redirect("http://keycenter.test/x", 302));
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("x-frame-options")).toBe("DENY");
  });
});
