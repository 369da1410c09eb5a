"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { KeyIdInput, ownerOf } from "@/lib/actions/keys/fields";
import { serviceContext } from "@/lib/context";
import { editMetaKey, MetaEditSchema } from "@/lib/keys/meta";

/** Edit Key (meta keys): Meta Key box, All current and future MIDs / Custom MID selection, add and remove. */
export const editMetaKeyAction = defineAction(
  {
    name: "editMetaKey",
    effect: "change",
    input: KeyIdInput.extend({ edit: MetaEditSchema }),
    permission: "keys.meta",
    org: ownerOf,
  },
  async ({ input, session, org }) => {
    const r = await editMetaKey({ ctx: serviceContext(session, org), keyId: input.keyId, edit: input.edit });
    revalidatePath(`/keys/${input.keyId}`);
    revalidatePath("/keys");
    return ok(r);
  },
);
