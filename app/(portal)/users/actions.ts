"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import {
  createPortalUser,
  orgOfPerson,
  resendInvitation,
  setUserDisabled,
  setUserRole,
  userContext,
} from "@/lib/auth/users";
import { prisma } from "@/lib/db";

/** The org of the person an action is about, for the permission and scope check. */
const orgOfUser = ({ userId }: { userId: string }) => orgOfPerson(userId);

const UserId = z.string().trim().min(1).max(100);
const RoleId = z.string().trim().min(1, "Choose a role.").max(100);

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
    org: ({ orgId }) => prisma.organization.findUnique({ where: { id: orgId } }),
  },
  async ({ input, session }) => {
    const r = await createPortalUser({ ctx: userContext(session), ...input });
    revalidatePath("/users");
    return ok(r);
  },
);

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
