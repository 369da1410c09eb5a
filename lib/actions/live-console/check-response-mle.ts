"use server";

import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { checkResponseMleCredentials } from "@/lib/live-console/send";

const id = z.string().trim().max(100);

/**
 * Live Console → MLE Configuration → Update Credentials: checks the Response MLE key ID and the
 * .p12 that decrypts the response (it opens with the password; the key ID, when left empty, is
 * read from it as the SDK does). Nothing is stored or logged; the browser keeps them for Send.
 */
export const checkResponseMleAction = defineAction(
  {
    name: "checkResponseMle",
    effect: "read",
    input: z.object({
      merchantId: id.min(1, "Enter the organization ID."),
      metaKeyOwner: id.optional(),
      responseMleKeyId: id.optional(),
      responseMleP12: z.instanceof(File).optional(),
      responseMlePassword: z.string().max(200).optional(),
    }),
    permission: "transactions.view",
  },
  async ({ input }) => {
    const file = input.responseMleP12;
    if (file && file.size > 100_000) {
      const message = "That file is too large for a .p12.";
      return fail("INVALID_INPUT", message, { responseMleP12: message });
    }
    const p12 = file && file.size > 0 ? Buffer.from(await file.arrayBuffer()) : undefined;
    return ok(
      checkResponseMleCredentials({
        merchantId: input.merchantId,
        metaKeyOwner: input.metaKeyOwner,
        credentials: { keyId: input.responseMleKeyId, p12, password: input.responseMlePassword },
      }),
    );
  },
);
