"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { KeyIdInput, ownerOf } from "@/lib/actions/keys/fields";
import { serviceContext } from "@/lib/context";
import { setKeyCustodian } from "@/lib/keys/lifecycle";

const CustodianInput = KeyIdInput.extend({
  // "" (the select's "No custodian") clears it.
  custodianId: z
    .string()
    .trim()
    .max(100)
    .transform((v) => v || null),
});

/** Custodian (B6): the person who looks after the key; anyone who may create keys for its org sets it. */
export const setKeyCustodianAction = defineAction(
  { name: "setKeyCustodian", effect: "change", input: CustodianInput, permission: "keys.create", org: ownerOf },
  async ({ input, session, org }) => {
    const result = await setKeyCustodian({
      ctx: serviceContext(session, org),
      keyId: input.keyId,
      custodianId: input.custodianId,
    });
    revalidatePath(`/keys/${encodeURIComponent(input.keyId)}`);
    return ok(result);
  },
);
