"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { fail, type ActionResult } from "@/lib/actions";
import { createAdministrator } from "@/lib/auth/first-run";
import { formText, publicAction } from "@/lib/auth/public-action";
import { clientIp } from "@/lib/auth/session";

/**
 * The one-time set-up (signed out, so outside defineAction): the top organization and its
 * first Administrator. `createAdministrator` refuses it once any user exists, checked and
 * created under one lock, so two racing submissions make one administrator.
 * Tested in tests/integration/first-run.test.ts.
 */
export async function setupAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const result = await publicAction("setup", async () => {
    const password = formText(formData, "password");
    if (password !== formText(formData, "confirmPassword")) {
      return fail("INVALID_INPUT", "Please correct the highlighted fields.", {
        confirmPassword: "The two passwords differ.",
      });
    }
    const h = await headers();
    await createAdministrator(
      {
        orgId: formText(formData, "orgId"),
        orgName: formText(formData, "orgName"),
        orgType: formText(formData, "orgType") || undefined,
        name: formText(formData, "name"),
        email: formText(formData, "email"),
        password,
      },
      { firstOnly: true, via: "setup", actor: { ip: clientIp(h), userAgent: h.get("user-agent") } },
    );
    return { ok: true, data: undefined } as const;
  });
  if (!result.ok) return result;
  redirect("/sign-in?done=setup");
}
