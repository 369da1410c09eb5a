import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { seed } from "../helpers/fixtures";

/**
 * The session cookie follows the public URL: Secure (and `__Secure-` prefixed) exactly when
 * BETTER_AUTH_URL is https. A plain marker cookie travels with it, so that the sign-in page can
 * tell when a browser dropped the session cookie after a correct password.
 */

const PASSWORD = "KeyCenter-demo-1";
const clients: { $disconnect(): Promise<void> }[] = [];

/** lib/auth with BETTER_AUTH_URL = url (better-auth reads its settings once, on first use). */
async function authWith(url: string | undefined) {
  vi.resetModules();
  vi.stubEnv("BETTER_AUTH_URL", url);
  const [signIn, auth, db] = await Promise.all([
    import("@/lib/auth/sign-in"),
    import("@/lib/auth/auth"),
    import("@/lib/db"),
  ]);
  clients.push(db.prisma);
  return { ...signIn, ...auth };
}

/** A correct password; the Set-Cookie lines of the answer by cookie name. */
async function signInCookies(auth: Awaited<ReturnType<typeof authWith>>): Promise<Map<string, string>> {
  const outcome = await auth.signInWithPassword({
    email: "merchant.admin@keycenter.test",
    password: PASSWORD,
    headers: new Headers(),
    actor: {},
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return cookiesOf(outcome.setCookie);
}

/** Set-Cookie lines by cookie name. */
function cookiesOf(setCookie: string): Map<string, string> {
  return new Map(
    setCookie
      .split(/,(?=\s*[\w.-]+=)/)
      .map((c) => c.trim())
      .map((c) => [c.slice(0, c.indexOf("=")), c] as const),
  );
}

const requestWith = (cookies: Map<string, string>) =>
  new Headers({ cookie: [...cookies.values()].map((c) => c.split(";")[0]).join("; ") });

describe("the session cookie", () => {
  afterEach(() => vi.unstubAllEnvs());
  afterAll(async () => {
    for (const c of clients) await c.$disconnect();
  });

  it("is Secure with the __Secure- prefix when BETTER_AUTH_URL is https, with a plain marker beside it", async () => {
    const auth = await authWith("https://keycenter.test:8443");
    await seed();
    const cookies = await signInCookies(auth);
    const session = cookies.get("__Secure-better-auth.session_token");
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(cookies.has("better-auth.session_token")).toBe(false);
    const marker = cookies.get(auth.SIGN_IN_MARKER);
    expect(marker).toMatch(new RegExp(`Max-Age=${auth.SIGN_IN_MARKER_SECONDS}`));
    expect(marker).not.toMatch(/;\s*Secure/i);

    // The browser kept both: nothing dropped. It kept only the marker: dropped.
    expect(auth.sessionCookieDropped(requestWith(cookies))).toBe(false);
    const markerOnly = new Map([[auth.SIGN_IN_MARKER, marker!]]);
    expect(auth.sessionCookieDropped(requestWith(markerOnly))).toBe(true);
    expect(auth.sessionCookieDropped(new Headers())).toBe(false);

    // Sign-out expires the marker with the session cookie.
    const out = await auth.getAuth().api.signOut({ headers: requestWith(cookies), returnHeaders: true });
    const cleared = cookiesOf(out.headers.get("set-cookie") ?? "");
    expect(cleared.get("__Secure-better-auth.session_token")).toMatch(/Max-Age=0/);
    expect(cleared.get(auth.SIGN_IN_MARKER)).toMatch(/Max-Age=0/);
  });

  it("is neither Secure nor prefixed when BETTER_AUTH_URL is http, even in production", async () => {
    vi.stubEnv("NODE_ENV", "production");
    for (const url of ["http://keycenter.test:3301", undefined]) {
      const auth = await authWith(url);
      const cookies = await signInCookies(auth);
      const session = cookies.get("better-auth.session_token");
      expect(session, String(url)).toBeDefined();
      expect(session, String(url)).not.toMatch(/;\s*Secure/i);
      expect(cookies.has("__Secure-better-auth.session_token")).toBe(false);
      expect(cookies.has(auth.SIGN_IN_MARKER)).toBe(true);
    }
  });
});
