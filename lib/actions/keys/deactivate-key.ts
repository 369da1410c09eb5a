"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { KeyIdInput, ownerOf } from "@/lib/actions/keys/fields";
import { serviceContext } from "@/lib/context";
import { deactivateKey } from "@/lib/keys/lifecycle";

export const deactivateKeyAction = defineAction(
  { name: "deactivateKey", effect: "change", input: KeyIdInput, permission: "keys.deactivate", org: ownerOf },
  async ({ input, session, org }) => {
    // The type's extra permission (PGP Security Settings) is the service's check (deactivateKey).
    const key = await deactivateKey({ ctx: serviceContext(session, org), keyId: input.keyId });
    revalidatePath("/keys");
    return ok({ keyId: key.id });
  },
);
