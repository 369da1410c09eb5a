"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { createContext, custodianId } from "@/lib/actions/keys/key-creation";
import { createSecureAcceptanceKey, KEY_NAME_MAX } from "@/lib/keys/secret-keys";

export const createSecureAcceptanceAction = defineAction(
  {
    name: "createSecureAcceptance",
    effect: "change",
    input: z.object({
      name: z.string().trim().min(1, "Enter a key name.").max(KEY_NAME_MAX, `At most ${KEY_NAME_MAX} characters.`),
      signatureVersion: z.string().min(1, "Select a signature version."),
      signatureMethod: z.string().min(1, "Select a signature method."),
      securityProfileId: z.string().trim().min(1, "Select a security profile."),
      custodianId,
    }),
    permission: "keys.create",
  },
  async ({ input: { custodianId, ...input }, session, org }) => {
    const ctx = createContext(session, org, { custodianId });
    const r = await createSecureAcceptanceKey({ ctx, ...input });
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, accessKey: r.accessKey, secretKey: r.secretKey, download: r.download });
  },
);
