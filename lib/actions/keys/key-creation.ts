import "server-only";
import { z } from "zod";
import type { PortalSession } from "@/lib/auth/session";
import { serviceContext, type ServiceContext } from "@/lib/context";
import type { KeyType } from "@/lib/generated/prisma/enums";
import { MetaRequestSchema, type MetaRequest } from "@/lib/keys/meta-request";
import { KEY_NAME_MAX } from "@/lib/keys/secret-keys";
import type { OrgRef } from "@/lib/orgs/hierarchy";

/** The fields and context every Create Key action shares (lib/actions/keys/create-*.ts). */
export const name = z.string().trim().max(KEY_NAME_MAX, `At most ${KEY_NAME_MAX} characters.`).optional();

/** Create as a Meta-Key (JSON of the Key options choices) or Regenerate meta key. */
export const metaFields = {
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

/** "Key Management API" (REST – Shared Secret, REST – Certificate): the checkbox's "on", or a boolean. */
export const kmsApi = z
  .union([z.boolean(), z.enum(["on", "true", "false", ""])])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

/** Makes a key of one type from a pasted text (and Key Management API, where the type has it). */
type PastedKeyCreator = (ctx: ServiceContext, text: string, name?: string, kmsApi?: boolean) => Promise<unknown>;

/**
 * A form that offers several key types and sends one pasted text (a PEM, a public key): the
 * creator of each type, and its `type` field, which accepts exactly those types.
 */
export function creatorsByType<C extends Partial<Record<KeyType, PastedKeyCreator>>>(creators: C) {
  const types = Object.keys(creators) as [Extract<keyof C, string>, ...Extract<keyof C, string>[]];
  return { create: creators, type: z.enum(types) };
}

/** A pasted text (a PEM block, a public key): trimmed, required, at most `max` characters. */
export const pastedText = (max: number, messages: { missing: string; tooLong: string }) =>
  z.string().trim().min(1, messages.missing).max(max, messages.tooLong);

/** Custodian (B6): the person who will look after the new key ("" = none). */
export const custodianId = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);

/**
 * The service context with the custodian and the meta-key choices; createKey (lib/keys/create.ts)
 * checks both (the custodian, and Manage meta keys for a meta key) before anything is created.
 */
export function createContext(
  session: PortalSession,
  org: OrgRef,
  input: { meta?: MetaRequest; regenerateFrom?: string; custodianId?: string },
): ServiceContext {
  const ctx: ServiceContext = { ...serviceContext(session, org), custodianId: input.custodianId };
  if (!input.meta && !input.regenerateFrom) return ctx;
  return { ...ctx, meta: input.meta, regenerateFrom: input.regenerateFrom || undefined };
}
