"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { createContext, custodianId, kmsApi, metaFields, name } from "@/lib/actions/keys/key-creation";
import type { ServiceContext } from "@/lib/context";
import type { KeyType } from "@/lib/generated/prisma/enums";
import { createKeyFromCsr, createResponseMleKeyFromCertificate } from "@/lib/keys/certificate-keys";

/** Pasted PEM: a CSR (REST – Certificate) or your own certificate (REST – API Response MLE). */
const PASTE_CREATORS = {
  REST_CERTIFICATE: (ctx: ServiceContext, pem: string, name?: string, kmsApi?: boolean) =>
    createKeyFromCsr({ ctx, csrPem: pem, name, kmsApi }),
  REST_RESPONSE_MLE: (ctx: ServiceContext, pem: string, name?: string) =>
    createResponseMleKeyFromCertificate({ ctx, certificatePem: pem, name }),
} satisfies Partial<Record<KeyType, unknown>>;

export const createFromPemAction = defineAction(
  {
    name: "createFromPem",
    effect: "change",
    input: z.object({
      type: z.enum(Object.keys(PASTE_CREATORS) as [keyof typeof PASTE_CREATORS]),
      name,
      pem: z.string().trim().min(1, "Paste the PEM text.").max(50_000, "That is too long for a PEM block."),
      custodianId,
      kmsApi,
      ...metaFields,
    }),
    permission: "keys.create",
  },
  async ({ input, session, org }) => {
    const r = await PASTE_CREATORS[input.type](createContext(session, org, input), input.pem, input.name, input.kmsApi);
    revalidatePath("/keys");
    // A CSR's result screen shows the .p12 commands with the key ID and its owner filled in.
    const fromCsr = (r.key.details as { source?: string } | null)?.source === "csr";
    return ok({ keyId: r.key.id, filename: r.filename, pem: r.pem, csr: fromCsr ? { orgId: r.key.orgId } : undefined });
  },
);
