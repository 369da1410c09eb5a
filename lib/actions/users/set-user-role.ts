"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { orgOfUser, RoleId, UserId } from "@/lib/actions/users/fields";
import { setUserRole, userContext } from "@/lib/auth/users";

export const setUserRoleAction = defineAction(
  {
    name: "setUserRole",
    effect: "change",
    input: z.object({ userId: UserId, roleId: RoleId }),
    permission: "users.manage",
    org: orgOfUser,
  },
  async ({ input, session }) => {
    await setUserRole({ ctx: userContext(session), ...input });
    revalidatePath("/users");
    return ok({ userId: input.userId });
  },
);
