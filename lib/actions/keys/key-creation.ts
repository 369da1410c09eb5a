import "server-only";
import { z } from "zod";
import { requirePermission, type PortalSession } from "@/lib/auth/session";
import { serviceContext, type ServiceContext } from "@/lib/context";
import { checkCustodian } from "@/lib/keys/lifecycle";
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

/** Custodian (B6): the person who will look after the new key ("" = none). */
export const custodianId = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);

/**
 * The service context, with the meta-key choices (those also need Manage meta keys) and the
 * custodian, checked before anything is created so a wrong one creates nothing.
 */
export async function createContext(
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
