"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction, ok } from "@/lib/actions";
import { resetSecondFactor } from "@/lib/auth/mfa";
import { prisma } from "@/lib/db";
import { keyContext } from "@/lib/keys/context";

/** An administrator turns off a person's second factor (lost phone); they enroll again. */
export const resetSecondFactorAction = defineAction(
  {
    name: "resetSecondFactor",
    input: z.object({ userId: z.string().trim().min(1).max(100) }),
    permission: "users.manage",
    org: async ({ userId }) =>
      (await prisma.user.findUnique({ where: { id: userId }, include: { org: true } }))?.org ?? null,
  },
  async ({ input, session, org }) => {
    await resetSecondFactor({ actor: keyContext(session, org).actor, userOrg: session.userOrg, userId: input.userId });
    revalidatePath("/users");
    return ok({ userId: input.userId });
  },
);
