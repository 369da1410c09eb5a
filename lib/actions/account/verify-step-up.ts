"use server";

import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { verifyStepUp } from "@/lib/auth/sign-in";

/** Step-up (B5): the password, or a code when a second factor is enrolled, once more. */
export const verifyStepUpAction = defineAction(
  {
    name: "verifyStepUp",
    effect: "own",
    input: z.union([
      z.object({ password: z.string().min(1, "Enter your password.").max(1024) }),
      z.object({ code: z.string().trim().min(1, "Enter a code.").max(40) }),
    ]),
    permission: null,
  },
  async ({ input, session }) => {
    const r = await verifyStepUp(session, input);
    if (!r.ok) return fail(r.code, r.message, "password" in input ? { password: r.message } : { code: r.message });
    return ok({ verified: true });
  },
);
