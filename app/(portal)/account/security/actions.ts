"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { confirmEnrollment, startEnrollment } from "@/lib/auth/mfa";
import { endOwnSession } from "@/lib/auth/sessions";
import { verifyStepUp } from "@/lib/auth/sign-in";
import { serviceContext } from "@/lib/context";

// Everything here serves the signed-in person's own account: no permission beyond being
// signed in, and open while a required second factor is still to be enrolled.

/** A new TOTP secret (sealed on the user) and its QR code; not in force until confirmed. */
export const startMfaEnrollmentAction = defineAction(
  { name: "startMfaEnrollment", effect: "own", input: z.object({}), permission: null, duringEnrollment: true },
  async ({ session }) => ok(await startEnrollment(session.user)),
);

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
