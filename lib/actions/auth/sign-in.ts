"use server";

import { cookies, headers } from "next/headers";
import { z } from "zod";
import { fail, ok, type ActionResult } from "@/lib/action-result";
import { fieldErrors } from "@/lib/errors";
import { sessionCookieDropped, signInCookieNames } from "@/lib/auth/auth";
import { clientIp } from "@/lib/auth/session";
import { completeSecondFactor, signInWithPassword } from "@/lib/auth/sign-in";
import { safeText } from "@/lib/validation";

/** A field of the posted form; anything but FormData (a crafted call) has no fields. */
const field = (form: unknown, name: string) => (form instanceof FormData ? form.get(name) : null);

const SignInInput = z.object({
  email: z.string().trim().min(1, "Enter your email.").email("Enter a valid email address."),
  // NUL or a lone surrogate is refused before the password is checked (and counted).
  password: safeText({ secret: true }).min(1, "Enter your password.").max(1024),
});

/**
 * Where the form goes once signed in. The form loads it as a new page (not a server-side
 * redirect, which Next.js renders in the action's own answer with the cookies the action set):
 * so the browser's next request shows whether it kept the session cookie, and if it did not,
 * the portal sends it back to the sign-in page, which says why (lib/auth/auth.ts SIGN_IN_MARKER).
 */
export type SignInDone = { secondFactor: boolean; next?: string };
const SIGNED_IN: SignInDone = { secondFactor: false, next: "/dashboard" };

/**
 * The one action open to signed-out callers. With a second factor enrolled, the right
 * password yields `{ secondFactor: true }` and a session that is not usable until
 * `verifySignInCodeAction`.
 */
export async function signInAction(formData: FormData): Promise<ActionResult<SignInDone>> {
  const parsed = SignInInput.safeParse({ email: field(formData, "email"), password: field(formData, "password") });
  if (!parsed.success)
    return fail("INVALID_INPUT", "Please correct the highlighted fields.", fieldErrors(parsed.error));
  const h = await headers();
  const outcome = await signInWithPassword({
    ...parsed.data,
    headers: h,
    actor: { ip: clientIp(h), userAgent: h.get("user-agent") },
  });
  if (!outcome.ok) {
    // A right password on a locked or disabled account: better-auth had set the cookies of a
    // session that signInWithPassword then ended; they are expired again, not left behind.
    if (outcome.code === "LOCKED" || outcome.code === "DISABLED") {
      const jar = await cookies();
      for (const name of await signInCookieNames()) jar.delete(name);
    }
    return fail(outcome.code, outcome.message);
  }
  if (outcome.secondFactor) return ok({ secondFactor: true });
  return ok(SIGNED_IN);
}

const CodeInput = z.object({
  code: safeText({ secret: true }).trim().min(1, "Enter the code from your authenticator app.").max(40),
});

/** The second step of signing in: a TOTP code or a recovery code, for the session the password opened. */
export async function verifySignInCodeAction(formData: FormData): Promise<ActionResult<SignInDone>> {
  const parsed = CodeInput.safeParse({ code: field(formData, "code") });
  if (!parsed.success)
    return fail("INVALID_INPUT", "Please correct the highlighted fields.", fieldErrors(parsed.error));
  const h = await headers();
  const outcome = await completeSecondFactor({
    code: parsed.data.code,
    headers: h,
    actor: { ip: clientIp(h), userAgent: h.get("user-agent") },
  });
  if (!outcome.ok) {
    if (outcome.code === "EXPIRED" && sessionCookieDropped(h)) {
      // The password step's session cookie never came back: the sign-in page says why.
      return fail("EXPIRED", "This browser did not keep KeyCenter's session cookie. Go back to sign-in to see why.");
    }
    return outcome.code === "INVALID_CODE"
      ? fail(outcome.code, outcome.message, { code: outcome.message })
      : fail(outcome.code, outcome.message);
  }
  return ok(SIGNED_IN);
}
