"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { ownOrg, RoleFields } from "@/lib/actions/roles/fields";
import { createRole, roleContext } from "@/lib/auth/roles";

export const createRoleAction = defineAction(
  { name: "createRole", effect: "change", input: RoleFields, permission: "roles.manage", org: ownOrg },
  async ({ input, session, org }) => {
    const role = await createRole({ ctx: roleContext(session, org), input });
    revalidatePath("/roles");
    return ok({ roleId: role.id });
  },
);
