"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { createContext, creatorsByType, custodianId, name, pastedText } from "@/lib/actions/keys/key-creation";
import { createPgpKey, createTokenManagementMleKey } from "@/lib/keys/secret-keys";

/** The creators of the key types whose Create Key form is "paste a public key". */
const PUBLIC_KEY = creatorsByType({
  PGP: (ctx, text, name) => createPgpKey({ ctx, armoredKey: text, name }),
  TOKEN_MANAGEMENT_MLE: (ctx, text, name) => createTokenManagementMleKey({ ctx, publicKey: text, name }),
});

/** PGP and Token Management MLE (PGP also needs PGP Security Settings: createKey checks it). */
export const createPublicKeyAction = defineAction(
  {
    name: "createPublicKey",
    effect: "change",
    input: z.object({
      type: PUBLIC_KEY.type,
      name,
      publicKey: pastedText(200_000, {
        missing: "Paste the public key.",
        tooLong: "That is too long for a public key.",
      }),
      custodianId,
    }),
    permission: "keys.create",
  },
  async ({ input, session, org }) => {
    const ctx = createContext(session, org, input);
    const r = await PUBLIC_KEY.create[input.type](ctx, input.publicKey, input.name);
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, fingerprint: r.key.fingerprint });
  },
);
