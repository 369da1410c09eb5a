import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/auth/session";
import { clientAddress, parseTrustedProxies, markPeerStamped, requestIsHttps, stampPeer } from "@/lib/http/client-ip";

/** X-Forwarded-For and friends are believed only from KEYCENTER_TRUSTED_PROXIES. */

const trusted = parseTrustedProxies("10.0.0.5, 10.1.0.0/16, ::1, fd00::/8");
const stamped = { trusted, stamped: true };
const request = (peer: string | null, headers: Record<string, string> = {}) =>
  new Headers({ ...(peer === null ? {} : { "x-keycenter-peer": peer }), ...headers });

describe("the client's address", () => {
  it("is the direct peer when the peer is not a trusted proxy, whatever X-Forwarded-For or X-Real-IP say", () => {
    const h = request("203.0.113.9", { "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8" });
    expect(clientAddress(h, stamped)).toBe("203.0.113.9");
    expect(clientAddress(request("::ffff:198.51.100.7", { "x-forwarded-for": "1.2.3.4" }), stamped)).toBe(
      "198.51.100.7",
    );
  });

  it("is taken from X-Forwarded-For when the peer is a trusted proxy: the rightmost address that is not a trusted proxy", () => {
    // The client wrote "6.6.6.6" itself; the trusted proxies appended the real address and each other.
    const h = request("10.0.0.5", { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.1.2.3" });
    expect(clientAddress(h, stamped)).toBe("198.51.100.7");
    expect(clientAddress(request("::ffff:10.0.0.5", { "x-forwarded-for": "198.51.100.7" }), stamped)).toBe(
      "198.51.100.7",
    );
    expect(clientAddress(request("::1", { "x-forwarded-for": "2001:db8::7, fd00::3" }), stamped)).toBe("2001:db8::7");
  });

  it("takes X-Real-IP from a trusted proxy that sends no X-Forwarded-For", () => {
    expect(clientAddress(request("10.0.0.5", { "x-real-ip": "198.51.100.7" }), stamped)).toBe("198.51.100.7");
    expect(clientAddress(request("10.0.0.5"), stamped)).toBe("10.0.0.5");
  });

  it("stops at junk in X-Forwarded-For: the last address it could read", () => {
    expect(clientAddress(request("10.0.0.5", { "x-forwarded-for": "not-an-ip, 10.1.0.9" }), stamped)).toBe("10.1.0.9");
    expect(clientAddress(request("10.0.0.5", { "x-forwarded-for": "198.51.100.7:4711" }), stamped)).toBe(
      "198.51.100.7",
    );
  });

  it("is unknown (null) when the server did not stamp the peer: the headers then prove nothing", () => {
    const h = request(null, { "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8" });
    expect(clientAddress(h, stamped)).toBeNull();
    expect(
      clientAddress(request("10.0.0.5", { "x-forwarded-for": "1.2.3.4" }), { trusted, stamped: false }),
    ).toBeNull();
    // This test process stamps nothing: the old clientIp believed the first X-Forwarded-For entry.
    expect(clientIp(h)).toBeNull();
  });

  it("refuses a KEYCENTER_TRUSTED_PROXIES entry that is not an address or CIDR range", () => {
    expect(() => parseTrustedProxies("10.0.0.5, proxy.example.com")).toThrow(/proxy\.example\.com/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow();
    expect(parseTrustedProxies("")).toEqual([]);
  });
});

describe("whether the request came over TLS", () => {
  it("believes X-Forwarded-Proto only from a trusted proxy", () => {
    expect(requestIsHttps(request("203.0.113.9", { "x-forwarded-proto": "https" }), stamped)).toBe(false);
    expect(requestIsHttps(request("10.0.0.5", { "x-forwarded-proto": "https" }), stamped)).toBe(true);
    expect(requestIsHttps(request("10.0.0.5", { "x-forwarded-proto": "http" }), stamped)).toBe(false);
    expect(requestIsHttps(request("203.0.113.9", { "x-keycenter-peer-proto": "https" }), stamped)).toBe(true);
    expect(requestIsHttps(request(null, { "x-forwarded-proto": "https" }), stamped)).toBe(false);
  });
});

describe("the peer stamp (stampPeer, as lib/http/server.ts runs it on every request)", () => {
  it("replaces a peer header the client sent with the socket's address", async () => {
    const server = createServer((req, res) => {
      stampPeer(req);
      res.end(
        JSON.stringify({
          peer: req.headers["x-keycenter-peer"],
          proto: req.headers["x-keycenter-peer-proto"],
          raw: req.rawHeaders,
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        headers: { "X-KeyCenter-Peer": "10.0.0.5", "x-keycenter-peer-proto": "https", "x-forwarded-for": "6.6.6.6" },
      });
      const seen = (await res.json()) as { peer: string; proto: string; raw: string[] };
      expect(seen.peer).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(seen.proto).toBe("http");
      expect(seen.raw).not.toContain("10.0.0.5");
      expect(seen.raw).not.toContain("https");
    } finally {
      server.close();
    }
  });

  it("leaves a server that does not stamp without peer headers", async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers["x-keycenter-peer"] as string | undefined);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(seen).toEqual([undefined]);
    } finally {
      server.close();
    }
  });

  // Last in the file: the mark stays on for the process.
  it("marks the process as stamped, after which clientIp reads the peer header", () => {
    const h = request("203.0.113.9");
    expect(clientIp(h)).toBeNull();
    markPeerStamped();
    expect(clientIp(h)).toBe("203.0.113.9");
  });
});
