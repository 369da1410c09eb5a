"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { markAllNotificationsRead } from "@/lib/alerts/notifications";
import { serviceContext } from "@/lib/context";

/** The acting org's notifications (B2): anyone who may see its keys reads them. */
export const markAllNotificationsReadAction = defineAction(
  { name: "markAllNotificationsRead", effect: "own", input: z.object({}).optional(), permission: "keys.view" },
  async ({ session, org }) => {
    const r = await markAllNotificationsRead({ ctx: serviceContext(session, org) });
    revalidatePath("/notifications");
    return ok(r);
  },
);
