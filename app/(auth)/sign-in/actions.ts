"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { fail, fieldErrors, type ActionResult } from "@/lib/actions";
import { clientIp } from "@/lib/auth/session";
import { signInWithPassword } from "@/lib/auth/sign-in";

const SignInInput = z.object({
  email: z.string().trim().min(1, "Enter your email.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password.").max(1024),
});

/** The one action open to signed-out callers. */
export async function signInAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const parsed = SignInInput.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success)
    return fail("INVALID_INPUT", "Please correct the highlighted fields.", fieldErrors(parsed.error));
  const h = await headers();
  const outcome = await signInWithPassword({
    ...parsed.data,
    headers: h,
    actor: { ip: clientIp(h), userAgent: h.get("user-agent") },
  });
  if (!outcome.ok) return fail(outcome.code, outcome.message);
  redirect("/dashboard");
}
