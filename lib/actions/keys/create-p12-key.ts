"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { creationOrg } from "@/lib/actions/keys/fields";
import { createContext, custodianId, kmsApi, metaFields, name } from "@/lib/actions/keys/key-creation";
import { setP12PasswordSchema } from "@/lib/crypto/p12";
import { createCertificateKey, P12_KEY_TYPES } from "@/lib/keys/certificate-keys";
import { keyType } from "@/lib/keys/types";

/**
 * Download key → Set a Password → Generate key: a new key pair and certificate, delivered
 * once as a .p12 (base64 in this response; the private key is never stored).
 */
export const createP12KeyAction = defineAction(
  {
    name: "createP12Key",
    effect: "change",
    input: z.intersection(
      z.object({ type: z.enum(P12_KEY_TYPES), name, custodianId, kmsApi, ...metaFields }),
      setP12PasswordSchema,
    ),
    permission: "keys.create",
    org: creationOrg,
  },
  async ({ input, session, org }) => {
    const r = await createCertificateKey({
      ctx: createContext(session, org, input),
      type: input.type,
      password: input.password,
      name: input.name,
      // The form offers Key Management API only for types that may have it; for the others it is ignored.
      kmsApi: input.kmsApi && keyType(input.type).kmsApi === true,
    });
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, filename: r.filename, p12Base64: r.p12.toString("base64") });
  },
);
