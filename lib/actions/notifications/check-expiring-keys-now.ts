"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { checkExpiringKeysNow } from "@/lib/alerts/notifications";
import { serviceContext } from "@/lib/context";

/** "Check now": the alert runner's work for the acting org, at once (administrators). */
export const checkExpiringKeysNowAction = defineAction(
  { name: "checkExpiringKeysNow", effect: "run", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    const r = await checkExpiringKeysNow({ ctx: serviceContext(session, org) });
    revalidatePath("/notifications");
    return ok(r);
  },
);
