"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { signCheckoutFields } from "@/lib/gateway/secure-acceptance";

/**
 * The sample merchant form (G7): signs the checkout fields with the access key and secret key
 * typed here, as a merchant's server would, and returns the signed field set for the browser
 * to post to /pay. The secret key is used for this signature only: never stored or logged.
 */
export const signCheckoutAction = defineAction(
  {
    name: "signCheckout",
    effect: "run",
    input: z.object({
      accessKey: z
        .string()
        .trim()
        .regex(/^[0-9a-f]{32}$/i, "Enter the access key: 32 hexadecimal characters."),
      secretKey: z.string().trim().min(1, "Enter the secret key.").max(1000, "That secret key is too long."),
      profileId: z.string().trim().min(1, "Select a security profile.").max(100),
      amount: z
        .string()
        .trim()
        .regex(/^(?:0|[1-9]\d{0,11})(?:\.\d{1,2})?$/, "Enter an amount such as 100.00.")
        .refine((a) => Number(a) > 0, "Enter an amount greater than zero."),
      currency: z
        .string()
        .trim()
        .regex(/^[A-Za-z]{3}$/, "Enter a 3-letter currency code such as USD.")
        .transform((c) => c.toUpperCase()),
      referenceNumber: z.string().trim().min(1, "Enter a reference number.").max(50),
      transactionType: z.enum(["sale", "authorization"]),
    }),
    permission: "transactions.view",
  },
  async ({ input }) => ok({ fields: signCheckoutFields(input) }),
);
