import "server-only";
import { z } from "zod";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { keyOwner } from "@/lib/keys/queries";

export const KeyIdInput = z.object({ keyId: z.string().trim().min(1).max(100) });

/** The org that owns the key: the permission is checked against it, not the org acted for. */
export const ownerOf = ({ keyId }: { keyId: string }) => keyOwner(keyId);

/**
 * The org a Create Key action makes its key for: the org acted for, or, for Regenerate meta key,
 * the org that owns the original (a portfolio user regenerates an account's meta key there).
 */
export const creationOrg = (input: { regenerateFrom?: string }, session: { actingOrg: OrgRef }) =>
  input.regenerateFrom ? keyOwner(input.regenerateFrom) : session.actingOrg;
