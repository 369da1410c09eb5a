import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { prisma } from "@/lib/db";
import { clientIp } from "@/lib/http/client-ip";
import { hashPassword, verifyPassword } from "./password";

export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 12; // absolute: sign in again after 12 hours

/**
 * better-auth: email + password (argon2id), sessions stored server-side in `sessions`,
 * httpOnly SameSite=Lax cookies, Secure in production. KeyCenter calls it from server
 * actions (lib/auth/sign-in.ts); there is no public sign-up.
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
      useSecureCookies: process.env.NODE_ENV === "production" && process.env.KEYCENTER_INSECURE_COOKIES !== "1",
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
