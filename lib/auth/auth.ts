import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { createAuthMiddleware } from "better-auth/api";
import { getSessionCookie, parseCookies, parseSetCookieHeader } from "better-auth/cookies";
import { nextCookies } from "better-auth/next-js";
import { prisma } from "@/lib/db";
import { clientIp } from "@/lib/http/client-ip";
import { publicUrlIsHttps } from "@/lib/public-url";
import { hashPassword, verifyPassword } from "./password";

export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 12; // absolute: sign in again after 12 hours

/**
 * A plain cookie (not Secure, so a browser keeps it over http too) set with every session
 * cookie and expired with it (sign-out, an ended session). The sign-in page, seeing it on a
 * request that carries no session cookie, knows the browser dropped the session cookie right
 * after a correct password, and says why instead of silently starting over.
 */
export const SIGN_IN_MARKER = "keycenter.signed_in";
/** The marker outlives the sign-in by this much: the redirect, or the second factor's window. */
export const SIGN_IN_MARKER_SECONDS = 10 * 60;

/**
 * Whether a request shows that the browser dropped the session cookie: it carries the marker
 * set with a session cookie in the last SIGN_IN_MARKER_SECONDS, but no session cookie.
 */
export function sessionCookieDropped(h: Headers): boolean {
  const cookie = h.get("cookie");
  return cookie !== null && parseCookies(cookie).has(SIGN_IN_MARKER) && !getSessionCookie(h);
}

/**
 * The cookies a sign-in sets (better-auth's session token and session data, with their
 * `__Secure-` prefix when the public URL is https, and SIGN_IN_MARKER): what a refused sign-in
 * expires again, so that a right password on a locked account leaves no cookie behind.
 */
export async function signInCookieNames(): Promise<string[]> {
  const { authCookies } = await getAuth().$context;
  return [authCookies.sessionToken.name, authCookies.sessionData.name, SIGN_IN_MARKER];
}

/**
 * Keeps the marker in step with the session cookie: whenever better-auth's answer sets the
 * session cookie, the marker is set; when it expires it, the marker goes too. Runs before
 * nextCookies, which hands both to Next.js.
 */
const signInMarker = createAuthMiddleware(async (ctx) => {
  const setCookie = ctx.context.responseHeaders?.get("set-cookie");
  if (!setCookie) return;
  const session = parseSetCookieHeader(setCookie).get(ctx.context.authCookies.sessionToken.name);
  if (!session) return;
  const ended = !session.value || session["max-age"] === 0;
  ctx.setCookie(SIGN_IN_MARKER, ended ? "" : "1", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: false,
    maxAge: ended ? 0 : SIGN_IN_MARKER_SECONDS,
  });
});

/**
 * better-auth: email + password (argon2id), sessions stored server-side in `sessions`,
 * httpOnly SameSite=Lax cookies, `Secure` (and `__Secure-` prefixed) exactly when the public
 * URL (BETTER_AUTH_URL) is https: a test environment on plain http keeps its session, one
 * behind a TLS proxy gets Secure cookies. KeyCenter calls it from server actions
 * (lib/auth/sign-in.ts); there is no public sign-up.
 */
function createAuth() {
  return betterAuth({
    appName: "KeyCenter",
    secret: process.env.BETTER_AUTH_SECRET,
    baseURL: process.env.BETTER_AUTH_URL,
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      password: { hash: hashPassword, verify: ({ hash, password }) => verifyPassword(hash, password) },
    },
    session: {
      expiresIn: SESSION_MAX_AGE_SECONDS,
      updateAge: 60 * 15,
      disableSessionRefresh: true,
      additionalFields: {
        actingOrgId: { type: "string", required: false, input: false },
        environment: { type: "string", required: false, input: false, defaultValue: "TEST" },
      },
    },
    advanced: {
      useSecureCookies: publicUrlIsHttps(),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // better-auth would take X-Forwarded-For from anyone: the session's address is clientIp's (below).
      ipAddress: { disableIpTracking: true },
    },
    databaseHooks: {
      session: {
        create: {
          // X-Forwarded-For only from KEYCENTER_TRUSTED_PROXIES (lib/http/client-ip.ts).
          before: async (session, ctx) => ({
            data: { ...session, ipAddress: ctx?.headers ? clientIp(ctx.headers) : null },
          }),
        },
      },
    },
    hooks: { after: signInMarker },
    telemetry: { enabled: false },
    logger: { level: "error" },
    plugins: [nextCookies()],
  });
}

let instance: ReturnType<typeof createAuth> | undefined;
/** Created on first use, so that building the app needs no secret. */
export function getAuth() {
  return (instance ??= createAuth());
}
