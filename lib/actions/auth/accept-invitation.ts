"use server";

import { redirect } from "next/navigation";
import { ok, type ActionResult } from "@/lib/action-result";
import { acceptInvitation } from "@/lib/auth/invitations";
import { passwordMismatch, publicAction, requestActor } from "@/lib/actions/public-action";

/**
 * Accepting an invitation (signed out, so outside defineAction): the token in the link is
 * the authority; a bad, expired, replaced or used one is refused. Then to sign-in.
 * Tested in tests/integration/invitations.test.ts.
 */
export async function acceptInvitationAction(formData: FormData): Promise<ActionResult> {
  const result = await publicAction("acceptInvitation", formData, async (field) => {
    const mismatch = passwordMismatch(field);
    if (mismatch) return mismatch;
    await acceptInvitation({ token: field("token"), password: field("password"), actor: await requestActor() });
    return ok(undefined);
  });
  if (!result.ok) return result;
  redirect("/sign-in?done=invitation");
}
