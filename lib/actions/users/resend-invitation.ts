"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { orgOfUser, UserId } from "@/lib/actions/users/fields";
import { resendInvitation, userContext } from "@/lib/auth/users";

/** A new invitation link for someone who has not set their password yet (shown once, emailed). */
export const resendInvitationAction = defineAction(
  {
    name: "resendInvitation",
    effect: "change",
    input: z.object({ userId: UserId }),
    permission: "users.manage",
    org: orgOfUser,
  },
  async ({ input, session }) => {
    const r = await resendInvitation({ ctx: userContext(session), ...input });
    revalidatePath("/users");
    return ok(r);
  },
);
