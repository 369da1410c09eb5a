"use server";

import { redirect } from "next/navigation";
import { ok, type ActionResult } from "@/lib/action-result";
import { createAdministrator } from "@/lib/auth/first-run";
import { passwordMismatch, publicAction, requestActor } from "@/lib/actions/public-action";

/**
 * The one-time set-up (signed out, so outside defineAction): the top organization and its
 * first Administrator. `createAdministrator` refuses it once any user exists, checked and
 * created under one lock, so two racing submissions make one administrator.
 * Tested in tests/integration/first-run.test.ts.
 */
export async function setupAction(formData: FormData): Promise<ActionResult> {
  const result = await publicAction("setup", formData, async (field) => {
    const mismatch = passwordMismatch(field);
    if (mismatch) return mismatch;
    const input = {
      orgId: field("orgId"),
      orgName: field("orgName"),
      orgType: field("orgType") || undefined,
      name: field("name"),
      email: field("email"),
      password: field("password"),
    };
    await createAdministrator(input, { firstOnly: true, via: "setup", actor: await requestActor() });
    return ok(undefined);
  });
  if (!result.ok) return result;
  redirect("/sign-in?done=setup");
}
