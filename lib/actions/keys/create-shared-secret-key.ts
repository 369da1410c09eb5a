"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { creationOrg } from "@/lib/actions/keys/fields";
import { createContext, custodianId, kmsApi, metaFields, name } from "@/lib/actions/keys/key-creation";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";

/** REST – Shared Secret: created at once; the secret is in this response only. */
export const createSharedSecretAction = defineAction(
  {
    name: "createSharedSecret",
    effect: "change",
    input: z.object({ name, custodianId, kmsApi, ...metaFields }),
    permission: "keys.create",
    org: creationOrg,
  },
  async ({ input, session, org }) => {
    const r = await createSharedSecretKey({
      ctx: createContext(session, org, input),
      name: input.name,
      kmsApi: input.kmsApi,
    });
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, secret: r.secret, download: r.download });
  },
);
