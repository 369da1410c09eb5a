"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { requirePermission, type PortalSession } from "@/lib/auth/session";
import { MetaRequestSchema, MidFilterSchema, type MetaRequest } from "@/lib/keys/meta-request";
import { searchMids } from "@/lib/orgs/mids";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import type { KeyType } from "@/lib/generated/prisma/enums";
import { serviceContext, type ServiceContext } from "@/lib/context";
import { keyType } from "@/lib/keys/types";
import { checkCustodian } from "@/lib/keys/lifecycle";
import { setP12PasswordSchema } from "@/lib/crypto/p12";
import {
  createCertificateKey,
  createKeyFromCsr,
  createResponseMleKeyFromCertificate,
  P12_KEY_TYPES,
} from "@/lib/keys/certificate-keys";
import {
  createPgpKey,
  createSecureAcceptanceKey,
  createSharedSecretKey,
  createTokenManagementMleKey,
  KEY_NAME_MAX,
} from "@/lib/keys/secret-keys";

const name = z.string().trim().max(KEY_NAME_MAX, `At most ${KEY_NAME_MAX} characters.`).optional();

/** Create as a Meta-Key (JSON of the Key options choices) or Regenerate meta key. */
const metaFields = {
  meta: z
    .string()
    .max(5_000_000)
    .optional()
    .transform((s, c) => {
      if (!s) return undefined;
      try {
        const parsed = MetaRequestSchema.safeParse(JSON.parse(s));
        if (parsed.success) return parsed.data;
      } catch {}
      c.addIssue({ code: "custom", message: "The meta key options could not be read. Choose them again." });
      return z.NEVER;
    }),
  regenerateFrom: z.string().trim().max(100).optional(),
};

/** Custodian (B6): the person who will look after the new key ("" = none). */
const custodianId = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);

/**
 * The service context, with the meta-key choices (those also need Manage meta keys) and the
 * custodian, checked before anything is created so a wrong one creates nothing.
 */
async function createContext(
  session: PortalSession,
  org: OrgRef,
  input: { meta?: MetaRequest; regenerateFrom?: string; custodianId?: string },
): Promise<ServiceContext> {
  await checkCustodian(org, input.custodianId); // throws a field error for a wrong one
  const ctx: ServiceContext = { ...serviceContext(session, org), custodianId: input.custodianId };
  if (!input.meta && !input.regenerateFrom) return ctx;
  requirePermission(session, "keys.meta", { org });
  return { ...ctx, meta: input.meta, regenerateFrom: input.regenerateFrom || undefined };
}

/** REST – Shared Secret: created at once; the secret is in this response only. */
export const createSharedSecretAction = defineAction(
  {
    name: "createSharedSecret",
    effect: "change",
    input: z.object({ name, custodianId, ...metaFields }),
    permission: "keys.create",
  },
  async ({ input, session, org }) => {
    const r = await createSharedSecretKey({ ctx: await createContext(session, org, input), name: input.name });
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, secret: r.secret, download: r.download });
  },
);

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
    const ctx = await createContext(session, org, { custodianId });
    const r = await createSecureAcceptanceKey({ ctx, ...input });
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, accessKey: r.accessKey, secretKey: r.secretKey, download: r.download });
  },
);

/** The creators of the key types whose Create Key form is "paste a public key". */
const PUBLIC_KEY_CREATORS = {
  PGP: (ctx: ServiceContext, text: string, name?: string) => createPgpKey({ ctx, armoredKey: text, name }),
  TOKEN_MANAGEMENT_MLE: (ctx: ServiceContext, text: string, name?: string) =>
    createTokenManagementMleKey({ ctx, publicKey: text, name }),
} satisfies Partial<Record<KeyType, unknown>>;

/** PGP and Token Management MLE. PGP also needs Merchant Settings Permissions > PGP Security Settings. */
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
    const extra = keyType(input.type).extraPermission;
    if (extra) requirePermission(session, extra, { org });
    const ctx = await createContext(session, org, input);
    const r = await PUBLIC_KEY_CREATORS[input.type](ctx, input.publicKey, input.name);
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, fingerprint: r.key.fingerprint });
  },
);

/**
 * Download key → Set a Password → Generate key: a new key pair and certificate, delivered
 * once as a .p12 (base64 in this response; the private key is never stored).
 */
export const createP12KeyAction = defineAction(
  {
    name: "createP12Key",
    effect: "change",
    input: z.intersection(
      z.object({ type: z.enum(P12_KEY_TYPES), name, custodianId, ...metaFields }),
      setP12PasswordSchema,
    ),
    permission: "keys.create",
  },
  async ({ input, session, org }) => {
    const r = await createCertificateKey({
      ctx: await createContext(session, org, input),
      type: input.type,
      password: input.password,
      name: input.name,
    });
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, filename: r.filename, p12Base64: r.p12.toString("base64") });
  },
);

/** Pasted PEM: a CSR (REST – Certificate) or your own certificate (REST – API Response MLE). */
const PASTE_CREATORS = {
  REST_CERTIFICATE: (ctx: ServiceContext, pem: string, name?: string) =>
    createKeyFromCsr({ ctx, csrPem: pem, name }),
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
      ...metaFields,
    }),
    permission: "keys.create",
  },
  async ({ input, session, org }) => {
    const r = await PASTE_CREATORS[input.type](await createContext(session, org, input), input.pem, input.name);
    revalidatePath("/keys");
    return ok({ keyId: r.key.id, filename: r.filename, pem: r.pem });
  },
);

/** Add Custom Merchant IDs: one page of the transacting MIDs below the org acted for. */
export const searchMidsAction = defineAction(
  {
    name: "searchMids",
    effect: "read",
    input: z.object({ filter: MidFilterSchema.default({}), page: z.number().int().min(1).max(100_000).default(1) }),
    permission: "keys.meta",
  },
  async ({ input, org }) => ok(await searchMids({ owner: org, filter: input.filter, page: input.page, perPage: 25 })),
);
