import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resolvePortalSession } from "@/lib/auth/session";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { prisma } from "@/lib/db";
import { cookieHeaders, seed } from "../helpers/fixtures";

/**
 * A session's address (the Security page's session list, audit records) is the client's as
 * lib/http/client-ip.ts sees it: X-Forwarded-For only from KEYCENTER_TRUSTED_PROXIES.
 */

const STAMPED = Symbol.for("keycenter.peer-stamped");
const g = globalThis as Record<symbol, unknown>;

/** Signs in with these request headers (as the server action passes them on) and returns the stored session row and the resolved session. */
async function signInWith(headers: Record<string, string>) {
  const h = new Headers({ "user-agent": "vitest", ...headers });
  const outcome = await signInWithPassword({
    email: "merchant.admin@keycenter.test",
    password: "KeyCenter-demo-1",
    headers: h,
    actor: {},
  });
  if (!outcome.ok) throw new Error(outcome.message);
  const cookies = cookieHeaders(outcome.setCookie);
  for (const [name, value] of h) if (name !== "cookie") cookies.set(name, value);
  const session = await resolvePortalSession(cookies);
  const row = await prisma.session.findUniqueOrThrow({ where: { id: session!.sessionId } });
  return { stored: row.ipAddress, resolved: session!.ip };
}

describe("the address a session records", () => {
  beforeAll(seed);
  afterEach(() => {
    delete g[STAMPED];
    vi.unstubAllEnvs();
  });

  it("is not a client's X-Forwarded-For: the stamped peer when the peer is no trusted proxy", async () => {
    g[STAMPED] = true;
    const spoofed = {
      "x-keycenter-peer": "198.51.100.20",
      "x-forwarded-for": "203.0.113.66",
      "x-real-ip": "203.0.113.67",
    };
    expect(await signInWith(spoofed)).toEqual({ stored: "198.51.100.20", resolved: "198.51.100.20" });
  });

  it("is the forwarded client when the peer is a trusted proxy", async () => {
    g[STAMPED] = true;
    vi.stubEnv("KEYCENTER_TRUSTED_PROXIES", "10.0.0.0/8");
    const proxied = { "x-keycenter-peer": "10.0.0.5", "x-forwarded-for": "6.6.6.6, 198.51.100.30, 10.2.0.1" };
    expect(await signInWith(proxied)).toEqual({ stored: "198.51.100.30", resolved: "198.51.100.30" });
  });

  it("is unknown when the server did not stamp the peer (whatever the headers say)", async () => {
    expect(await signInWith({ "x-forwarded-for": "203.0.113.66" })).toEqual({ stored: null, resolved: null });
  });
});
