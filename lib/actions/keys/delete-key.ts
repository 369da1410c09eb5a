"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { KeyIdInput, ownerOf } from "@/lib/actions/keys/fields";
import { serviceContext } from "@/lib/context";
import { deleteKey } from "@/lib/keys/lifecycle";

export const deleteKeyAction = defineAction(
  { name: "deleteKey", effect: "change", input: KeyIdInput, permission: "keys.delete", org: ownerOf },
  async ({ input, session, org }) => {
    await deleteKey({ ctx: serviceContext(session, org), keyId: input.keyId });
    revalidatePath("/keys");
    return ok({ keyId: input.keyId });
  },
);
