"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { ALL_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { createRole, deleteRole, updateRole, type RoleServiceContext } from "@/lib/auth/roles";
import type { PortalSession } from "@/lib/auth/session";
import type { OrgRef } from "@/lib/orgs/hierarchy";

const RoleFields = z.object({
  name: z.string().trim().min(1, "Enter a role name.").max(80, "At most 80 characters."),
  description: z.string().trim().max(500, "At most 500 characters.").default(""),
  // A form sends no value for no check box, one string for one, an array for several.
  permissions: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? [] : [v].flat()),
    z.array(z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]])),
  ),
});
const RoleId = z.object({ roleId: z.string().trim().min(1).max(100) });

/** Custom roles belong to the caller's own org, whatever org they act for. */
const ownOrg = (_input: unknown, session: PortalSession): OrgRef => session.userOrg;

function roleContext(session: PortalSession, org: OrgRef): RoleServiceContext {
  return {
    actor: { actorId: session.user.id, actorEmail: session.user.email, ip: session.ip, userAgent: session.userAgent },
    org,
    permissions: session.permissions,
  };
}

export const createRoleAction = defineAction(
  { name: "createRole", effect: "change", input: RoleFields, permission: "roles.manage", org: ownOrg },
  async ({ input, session, org }) => {
    const role = await createRole({ ctx: roleContext(session, org), input });
    revalidatePath("/roles");
    return ok({ roleId: role.id });
  },
);

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

export const deleteRoleAction = defineAction(
  { name: "deleteRole", effect: "change", input: RoleId, permission: "roles.manage", org: ownOrg },
  async ({ input, session, org }) => {
    await deleteRole({ ctx: roleContext(session, org), roleId: input.roleId });
    revalidatePath("/roles");
    return ok({ roleId: input.roleId });
  },
);
