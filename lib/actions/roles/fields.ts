import "server-only";
import { z } from "zod";
import { ALL_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import type { PortalSession } from "@/lib/auth/session";
import type { OrgRef } from "@/lib/orgs/hierarchy";

export const RoleFields = z.object({
  name: z.string().trim().min(1, "Enter a role name.").max(80, "At most 80 characters."),
  description: z.string().trim().max(500, "At most 500 characters.").default(""),
  // A form sends no value for no check box, one string for one, an array for several.
  permissions: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? [] : [v].flat()),
    z.array(z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]])),
  ),
});
export const RoleId = z.object({ roleId: z.string().trim().min(1).max(100) });

/** Custom roles belong to the caller's own org, whatever org they act for. */
export const ownOrg = (_input: unknown, session: PortalSession): OrgRef => session.userOrg;
