"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { confirmEnrollment } from "@/lib/auth/mfa";
import { serviceContext } from "@/lib/context";

/** Confirms enrollment with a current code; returns the ten recovery codes, shown once. */
export const confirmMfaEnrollmentAction = defineAction(
  {
    name: "confirmMfaEnrollment",
    effect: "own",
    input: z.object({
      code: z
        .string()
        .trim()
        .regex(/^\d{6}$/, "Enter the 6-digit code from your app."),
    }),
    permission: null,
    duringEnrollment: true,
  },
  async ({ input, session }) => {
    const codes = await confirmEnrollment({
      actor: serviceContext(session).actor,
      orgId: session.userOrg.id,
      code: input.code,
    });
    // No revalidation here: the page would re-render without the codes before they are read;
    // the "Done" button refreshes it.
    return ok({ recoveryCodes: codes });
  },
);
