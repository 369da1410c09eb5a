"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { createContext, custodianId, name } from "@/lib/actions/keys/key-creation";
import type { ServiceContext } from "@/lib/context";
import type { KeyType } from "@/lib/generated/prisma/enums";
import { createPgpKey, createTokenManagementMleKey } from "@/lib/keys/secret-keys";

/** The creators of the key types whose Create Key form is "paste a public key". */
const PUBLIC_KEY_CREATORS = {
  PGP: (ctx: ServiceContext, text: string, name?: string) => createPgpKey({ ctx, armoredKey: text, name }),
  TOKEN_MANAGEMENT_MLE: (ctx: ServiceContext, text: string, name?: string) =>
    createTokenManagementMleKey({ ctx, publicKey: text, name }),
} satisfies Partial<Record<KeyType, unknown>>;

/** PGP and Token Management MLE (PGP also needs PGP Security Settings: createKey checks it). */
export const createPublicKeyAction = defineAction(
  {
    name: "createPublicKey",
    effect: "change",
    input: z.object({
      type: z.enum(Object.keys(PUBLIC_KEY_CREATORS) as [keyof typeof PUBLIC_KEY_CREATORS]),
      name,
      publicKey: z.string().trim().min(1, "Paste the public key.").max(200_000, "That is too long for a public key."),
      custodianId,
    }),
    permission: "keys.create",
  },
  async ({ input, session, org }) => {
    const ctx = createContext(session, org, input);
    const r = await PUBLIC_KEY_CREATORS[input.type](ctx, input.publicKey, input.name);
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, fingerprint: r.key.fingerprint });
  },
);
