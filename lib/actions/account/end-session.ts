"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { endOwnSession } from "@/lib/auth/sessions";

/** Ends one of the caller's own sessions. */
export const endSessionAction = defineAction(
  {
    name: "endSession",
    effect: "own",
    input: z.object({ sessionId: z.string().trim().min(1).max(200) }),
    permission: null,
    duringEnrollment: true,
  },
  async ({ input, session }) => {
    const r = await endOwnSession(session, input.sessionId);
    revalidatePath("/account/security");
    return ok(r);
  },
);
