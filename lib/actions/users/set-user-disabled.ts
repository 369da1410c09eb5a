"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { orgOfUser, UserId } from "@/lib/actions/users/fields";
import { setUserDisabled, userContext } from "@/lib/auth/users";

export const setUserDisabledAction = defineAction(
  {
    name: "setUserDisabled",
    effect: "change",
    input: z.object({ userId: UserId, disabled: z.boolean() }),
    permission: "users.manage",
    org: orgOfUser,
  },
  async ({ input, session }) => {
    await setUserDisabled({ ctx: userContext(session), ...input });
    revalidatePath("/users");
    return ok({ userId: input.userId });
  },
);
