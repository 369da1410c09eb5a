"use server";

import { revalidatePath } from "next/cache";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { KeyIdInput, ownerOf } from "@/lib/actions/keys/fields";
import { requirePermission } from "@/lib/auth/session";
import { serviceContext } from "@/lib/context";
import { deactivateKey } from "@/lib/keys/lifecycle";
import { keyTypeOf } from "@/lib/keys/queries";
import { keyType } from "@/lib/keys/types";

export const deactivateKeyAction = defineAction(
  { name: "deactivateKey", effect: "change", input: KeyIdInput, permission: "keys.deactivate", org: ownerOf },
  async ({ input, session, org }) => {
    // PGP keys also need Merchant Settings Permissions > PGP Security Settings.
    const type = await keyTypeOf(input.keyId);
    const extra = type && keyType(type).extraPermission;
    if (extra) requirePermission(session, extra, { org });
    const key = await deactivateKey({ ctx: serviceContext(session, org), keyId: input.keyId });
    revalidatePath("/keys");
    return ok({ keyId: key.id });
  },
);
