"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction, ok } from "@/lib/actions";
import { createPortalUser, setUserDisabled } from "@/lib/auth/users";
import { prisma } from "@/lib/db";
import { keyContext } from "@/lib/keys/context";

export const createUserAction = defineAction(
  {
    name: "createUser",
    input: z.object({
      email: z.string().trim().min(1, "Enter an email.").email("Enter a valid email address.").max(200),
      name: z.string().trim().min(1, "Enter a name.").max(200),
      orgId: z.string().trim().min(1, "Choose an organization.").max(100),
      roleId: z.string().trim().min(1, "Choose a role.").max(100),
      password: z.string().min(12, "At least 12 characters.").max(200),
    }),
    permission: "users.manage",
    org: ({ orgId }) => prisma.organization.findUnique({ where: { id: orgId } }),
  },
  async ({ input, session, org }) => {
    const r = await createPortalUser({ ctx: keyContext(session, org), userOrg: session.userOrg, ...input });
    revalidatePath("/users");
    return ok(r);
  },
);

export const setUserDisabledAction = defineAction(
  {
    name: "setUserDisabled",
    input: z.object({ userId: z.string().trim().min(1).max(100), disabled: z.boolean() }),
    permission: "users.manage",
    org: async ({ userId }) =>
      (await prisma.user.findUnique({ where: { id: userId }, include: { org: true } }))?.org ?? null,
  },
  async ({ input, session, org }) => {
    await setUserDisabled({ ctx: keyContext(session, org), userOrg: session.userOrg, ...input });
    revalidatePath("/users");
    return ok({ userId: input.userId });
  },
);
