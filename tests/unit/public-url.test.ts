import { describe, expect, it } from "vitest";
import { parseTrustedProxies } from "@/lib/http/client-ip";
import { addressMismatch, publicOrigin, publicUrl, publicUrlIsHttps } from "@/lib/public-url";

/** The public URL (BETTER_AUTH_URL): absolute links, the cookie rule, HSTS, and the sign-in page's address check. */

describe("the public URL", () => {
  it("builds absolute URLs from BETTER_AUTH_URL, whatever trailing slash or path it carries", () => {
    expect(publicUrl("/invite/abc", { BETTER_AUTH_URL: "https://keycenter.example.com/" })).toBe(
      "https://keycenter.example.com/invite/abc",
    );
    expect(publicUrl("keys/k1", { BETTER_AUTH_URL: "https://keycenter.test:8443" })).toBe(
      "https://keycenter.test:8443/keys/k1",
    );
    expect(publicOrigin({ BETTER_AUTH_URL: "https://KeyCenter.Example.com:443/some/path" })).toBe(
      "https://keycenter.example.com",
    );
  });

  it("defaults to http://localhost:$PORT, as npm start does", () => {
    expect(publicUrl("/sign-in", {})).toBe("http://localhost:3000/sign-in");
    expect(publicUrl("/sign-in", { PORT: "3301" })).toBe("http://localhost:3301/sign-in");
    expect(publicUrl("/sign-in", { BETTER_AUTH_URL: "  ", PORT: "3301" })).toBe("http://localhost:3301/sign-in");
  });

  it("is https (Secure session cookie, HSTS) only when BETTER_AUTH_URL says https", () => {
    expect(publicUrlIsHttps({ BETTER_AUTH_URL: "https://keycenter.example.com" })).toBe(true);
    expect(publicUrlIsHttps({ BETTER_AUTH_URL: "HTTPS://keycenter.example.com" })).toBe(true);
    expect(publicUrlIsHttps({ BETTER_AUTH_URL: "http://keycenter.test:3301" })).toBe(false);
    expect(publicUrlIsHttps({})).toBe(false);
    // Production alone no longer makes cookies Secure: the URL people use does.
    expect(publicUrlIsHttps({ NODE_ENV: "production", PORT: "3000" })).toBe(false);
  });
});

describe("the sign-in page's address check", () => {
  const options = { trusted: parseTrustedProxies("127.0.0.1"), stamped: true };
  const check = (url: string, headers: Record<string, string>, opts = options) =>
    addressMismatch(new Headers(headers), { BETTER_AUTH_URL: url }, opts);
  const direct = (host: string, extra: Record<string, string> = {}) => ({
    host,
    "x-keycenter-peer": "203.0.113.9",
    ...extra,
  });

  it("warns when the page is opened over http while BETTER_AUTH_URL is https (the Secure cookie would be dropped)", () => {
    expect(check("https://keycenter.test:8443", direct("keycenter.test:8443"))).toEqual({
      kind: "http-for-https",
      opened: "http://keycenter.test:8443",
      expected: "https://keycenter.test:8443",
    });
    // Opened over https at the public address: nothing to say.
    expect(
      check("https://keycenter.test:8443", direct("keycenter.test:8443", { "x-keycenter-peer-proto": "https" })),
    ).toBe(null);
  });

  it("believes X-Forwarded-Proto only from a trusted proxy", () => {
    const viaProxy = { host: "keycenter.test", "x-keycenter-peer": "127.0.0.1", "x-forwarded-proto": "https" };
    expect(check("https://keycenter.test", viaProxy)).toBeNull();
    const claimed = direct("keycenter.test", { "x-forwarded-proto": "https" });
    expect(check("https://keycenter.test", claimed)?.kind).toBe("http-for-https");
  });

  it("warns when the host or port differs from BETTER_AUTH_URL's, and never reads X-Forwarded-Host", () => {
    expect(check("http://keycenter.test:3301", direct("127.0.0.1:3301"))).toEqual({
      kind: "host",
      opened: "http://127.0.0.1:3301",
      expected: "http://keycenter.test:3301",
    });
    expect(check("http://keycenter.test:3301", direct("keycenter.test:3300"))?.kind).toBe("host");
    expect(check("http://keycenter.test:3301", direct("KeyCenter.test:3301"))).toBeNull();
    // A default port written out is the same address.
    expect(check("http://keycenter.test", direct("keycenter.test:80"))).toBeNull();
    const forwarded = {
      host: "127.0.0.1:3300",
      "x-keycenter-peer": "127.0.0.1",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "keycenter.test",
    };
    expect(check("https://keycenter.test", forwarded)).toEqual({
      kind: "host",
      opened: "https://127.0.0.1:3300",
      expected: "https://keycenter.test",
    });
  });

  it("notes an https page when BETTER_AUTH_URL is http (no Secure cookie, no HSTS)", () => {
    expect(
      check("http://keycenter.test:8443", direct("keycenter.test:8443", { "x-keycenter-peer-proto": "https" })),
    ).toEqual({
      kind: "https-for-http",
      opened: "https://keycenter.test:8443",
      expected: "http://keycenter.test:8443",
    });
  });

  it("compares only the host when the server does not stamp its peers (the scheme is then unknown)", () => {
    const unstamped = { ...options, stamped: false };
    expect(check("https://keycenter.test", { host: "keycenter.test" }, unstamped)).toBeNull();
    expect(check("https://keycenter.test", { host: "other.test" }, unstamped)?.kind).toBe("host");
    expect(check("https://keycenter.test", {}, unstamped)).toBeNull();
  });
});
