"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { checkExpiringKeysNow, markAllNotificationsRead, markNotificationRead } from "@/lib/alerts/notifications";
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

/** "Check now": the alert runner's work for the acting org, at once (administrators). */
export const checkExpiringKeysNowAction = defineAction(
  { name: "checkExpiringKeysNow", effect: "run", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    const r = await checkExpiringKeysNow({ ctx: serviceContext(session, org) });
    revalidatePath("/notifications");
    return ok(r);
  },
);
