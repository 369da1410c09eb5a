"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { creationOrg } from "@/lib/actions/keys/fields";
import {
  createContext,
  creatorsByType,
  custodianId,
  kmsApi,
  metaFields,
  name,
  pastedText,
} from "@/lib/actions/keys/key-creation";
import { createKeyFromCsr, createResponseMleKeyFromCertificate } from "@/lib/keys/certificate-keys";

/** Pasted PEM: a CSR (REST – Certificate) or your own certificate (REST – API Response MLE). */
const PASTED = creatorsByType({
  REST_CERTIFICATE: (ctx, pem, name, kmsApi) => createKeyFromCsr({ ctx, csrPem: pem, name, kmsApi }),
  REST_RESPONSE_MLE: (ctx, pem, name) => createResponseMleKeyFromCertificate({ ctx, certificatePem: pem, name }),
});

export const createFromPemAction = defineAction(
  {
    name: "createFromPem",
    effect: "change",
    input: z.object({
      type: PASTED.type,
      name,
      pem: pastedText(50_000, { missing: "Paste the PEM text.", tooLong: "That is too long for a PEM block." }),
      custodianId,
      kmsApi,
      ...metaFields,
    }),
    permission: "keys.create",
    org: creationOrg,
  },
  async ({ input, session, org }) => {
    const r = await PASTED.create[input.type](createContext(session, org, input), input.pem, input.name, input.kmsApi);
    revalidatePath("/keys");
    // A CSR's result screen shows the .p12 commands with the key ID and its owner filled in.
    const fromCsr = (r.key.details as { source?: string } | null)?.source === "csr";
    return ok({ keyId: r.key.id, filename: r.filename, pem: r.pem, csr: fromCsr ? { orgId: r.key.orgId } : undefined });
  },
);
