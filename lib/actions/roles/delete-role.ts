"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { ownOrg, RoleId } from "@/lib/actions/roles/fields";
import { deleteRole, roleContext } from "@/lib/auth/roles";

export const deleteRoleAction = defineAction(
  { name: "deleteRole", effect: "change", input: RoleId, permission: "roles.manage", org: ownOrg },
  async ({ input, session, org }) => {
    await deleteRole({ ctx: roleContext(session, org), roleId: input.roleId });
    revalidatePath("/roles");
    return ok({ roleId: input.roleId });
  },
);
