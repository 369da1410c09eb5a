"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction, ok } from "@/lib/actions";
import { checkExpiringKeysNow, markAllNotificationsRead, markNotificationRead } from "@/lib/alerts/notifications";
import { keyContext } from "@/lib/keys/context";

/** The acting org's notifications (B2): anyone who may see its keys reads them. */
export const markAllNotificationsReadAction = defineAction(
  { name: "markAllNotificationsRead", effect: "own", input: z.object({}).optional(), permission: "keys.view" },
  async ({ session, org }) => {
    const r = await markAllNotificationsRead({ ctx: keyContext(session, org) });
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
    const r = await markNotificationRead({ ctx: keyContext(session, org), id: input.id });
    revalidatePath("/notifications");
    return ok(r);
  },
);

/** "Check now": the alert runner's work for the acting org, at once (administrators). */
export const checkExpiringKeysNowAction = defineAction(
  { name: "checkExpiringKeysNow", effect: "run", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    const r = await checkExpiringKeysNow({ ctx: keyContext(session, org) });
    revalidatePath("/notifications");
    return ok(r);
  },
);
