"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { prisma } from "@/lib/db";
import { serviceContext } from "@/lib/context";
import { editMetaKey, MetaEditSchema } from "@/lib/keys/meta";

/** Edit Key (meta keys): Meta Key box, All current and future MIDs / Custom MID selection, add and remove. */
export const editMetaKeyAction = defineAction(
  {
    name: "editMetaKey",
    effect: "change",
    input: z.object({ keyId: z.string().trim().min(1).max(100), edit: MetaEditSchema }),
    permission: "keys.meta",
    org: async ({ keyId }) => {
      const key = await prisma.key.findUnique({ where: { id: keyId }, select: { org: true, deletedAt: true } });
      return key && !key.deletedAt ? key.org : null;
    },
  },
  async ({ input, session, org }) => {
    const r = await editMetaKey({ ctx: serviceContext(session, org), keyId: input.keyId, edit: input.edit });
    revalidatePath(`/keys/${input.keyId}`);
    revalidatePath("/keys");
    return ok(r);
  },
);

/** One page of a key's custom selection (for removing MIDs). */
export const listAssignmentsAction = defineAction(
  {
    name: "listAssignments",
    effect: "read",
    input: z.object({
      keyId: z.string().trim().min(1).max(100),
      page: z.number().int().min(1).max(100_000).default(1),
    }),
    permission: "keys.view",
    org: async ({ keyId }) => {
      const key = await prisma.key.findUnique({ where: { id: keyId }, select: { org: true, deletedAt: true } });
      return key && !key.deletedAt ? key.org : null;
    },
  },
  async ({ input }) => {
    const where = { keyId: input.keyId };
    const [total, rows] = await Promise.all([
      prisma.metaKeyAssignment.count({ where }),
      prisma.metaKeyAssignment.findMany({
        where,
        orderBy: { mid: "asc" },
        skip: (input.page - 1) * 50,
        take: 50,
        select: { mid: true },
      }),
    ]);
    return ok({ total, mids: rows.map((r) => r.mid), pageCount: Math.max(1, Math.ceil(total / 50)) });
  },
);
