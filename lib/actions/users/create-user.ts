"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { RoleId } from "@/lib/actions/users/fields";
import { createPortalUser, userContext } from "@/lib/auth/users";
import { getOrg } from "@/lib/orgs/search";

export const createUserAction = defineAction(
  {
    name: "createUser",
    effect: "change",
    input: z.object({
      email: z.string().trim().min(1, "Enter an email.").email("Enter a valid email address.").max(200),
      name: z.string().trim().min(1, "Enter a name.").max(200),
      orgId: z.string().trim().min(1, "Choose an organization.").max(100),
      roleId: RoleId,
    }),
    permission: "users.manage",
    org: ({ orgId }) => getOrg(orgId),
  },
  async ({ input, session }) => {
    const r = await createPortalUser({ ctx: userContext(session), ...input });
    revalidatePath("/users");
    return ok(r);
  },
);
