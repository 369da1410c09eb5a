"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { startEnrollment } from "@/lib/auth/mfa";

/** A new TOTP secret (sealed on the user) and its QR code; not in force until confirmed. */
export const startMfaEnrollmentAction = defineAction(
  { name: "startMfaEnrollment", effect: "own", input: z.object({}), permission: null, duringEnrollment: true },
  async ({ session }) => ok(await startEnrollment(session.user)),
);
