"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { ownOrg, RoleFields, RoleId } from "@/lib/actions/roles/fields";
import { roleContext, updateRole } from "@/lib/auth/roles";

export const updateRoleAction = defineAction(
  {
    name: "updateRole",
    effect: "change",
    input: RoleFields.extend(RoleId.shape),
    permission: "roles.manage",
    org: ownOrg,
  },
  async ({ input, session, org }) => {
    const { roleId, ...fields } = input;
    const role = await updateRole({ ctx: roleContext(session, org), roleId, input: fields });
    revalidatePath("/roles");
    return ok({ roleId: role.id });
  },
);
