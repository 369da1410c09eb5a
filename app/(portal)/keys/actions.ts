"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { prisma } from "@/lib/db";
import { requirePermission } from "@/lib/auth/session";
import { serviceContext } from "@/lib/context";
import { keyType } from "@/lib/keys/types";
import { deactivateKey, deleteKey, setKeyCustodian } from "@/lib/keys/lifecycle";

const KeyIdInput = z.object({ keyId: z.string().trim().min(1).max(100) });

/** The org that owns the key: the permission is checked against it, not the org acted for. */
async function ownerOf({ keyId }: { keyId: string }) {
  const key = await prisma.key.findUnique({ where: { id: keyId }, select: { org: true, deletedAt: true } });
  return key && !key.deletedAt ? key.org : null;
}

export const deactivateKeyAction = defineAction(
  { name: "deactivateKey", effect: "change", input: KeyIdInput, permission: "keys.deactivate", org: ownerOf },
  async ({ input, session, org }) => {
    // PGP keys also need Merchant Settings Permissions > PGP Security Settings.
    const found = await prisma.key.findUnique({ where: { id: input.keyId }, select: { type: true } });
    const extra = found && keyType(found.type).extraPermission;
    if (extra) requirePermission(session, extra, { org });
    const key = await deactivateKey({ ctx: serviceContext(session, org), keyId: input.keyId });
    revalidatePath("/keys");
    return ok({ keyId: key.id });
  },
);

export const deleteKeyAction = defineAction(
  { name: "deleteKey", effect: "change", input: KeyIdInput, permission: "keys.delete", org: ownerOf },
  async ({ input, session, org }) => {
    await deleteKey({ ctx: serviceContext(session, org), keyId: input.keyId });
    revalidatePath("/keys");
    return ok({ keyId: input.keyId });
  },
);

const CustodianInput = KeyIdInput.extend({
  // "" (the select's "No custodian") clears it.
  custodianId: z
    .string()
    .trim()
    .max(100)
    .transform((v) => v || null),
});

/** Custodian (B6): the person who looks after the key; anyone who may create keys for its org sets it. */
export const setKeyCustodianAction = defineAction(
  { name: "setKeyCustodian", effect: "change", input: CustodianInput, permission: "keys.create", org: ownerOf },
  async ({ input, session, org }) => {
    const result = await setKeyCustodian({
      ctx: serviceContext(session, org),
      keyId: input.keyId,
      custodianId: input.custodianId,
    });
    revalidatePath(`/keys/${encodeURIComponent(input.keyId)}`);
    return ok(result);
  },
);
