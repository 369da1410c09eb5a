"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { markNotificationRead } from "@/lib/alerts/notifications";
import { serviceContext } from "@/lib/context";

export const markNotificationReadAction = defineAction(
  {
    name: "markNotificationRead",
    effect: "own",
    input: z.object({ id: z.string().trim().min(1).max(100) }),
    permission: "keys.view",
  },
  async ({ input, session, org }) => {
    const r = await markNotificationRead({ ctx: serviceContext(session, org), id: input.id });
    revalidatePath("/notifications");
    return ok(r);
  },
);
