"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { orgOfUser } from "@/lib/actions/users/fields";
import { resetSecondFactor } from "@/lib/auth/mfa";
import { assertManageable, userContext } from "@/lib/auth/users";

/** An administrator turns off a person's second factor (lost phone); they enroll again. */
export const resetSecondFactorAction = defineAction(
  {
    name: "resetSecondFactor",
    effect: "change",
    input: z.object({ userId: z.string().trim().min(1).max(100) }),
    permission: "users.manage",
    org: orgOfUser,
  },
  async ({ input, session }) => {
    const ctx = userContext(session);
    // Not for someone whose role holds more than the caller's (lib/auth/grants.ts).
    await assertManageable(ctx, input.userId);
    await resetSecondFactor({ actor: ctx.actor, userOrg: session.userOrg, userId: input.userId });
    revalidatePath("/users");
    return ok({ userId: input.userId });
  },
);
