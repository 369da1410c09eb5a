"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { removeWebhook } from "@/lib/alerts/webhook-settings";
import { serviceContext } from "@/lib/context";

export const removeWebhookAction = defineAction(
  { name: "removeWebhook", effect: "change", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    await removeWebhook({ ctx: serviceContext(session, org) });
    revalidatePath("/settings");
    return ok(undefined);
  },
);
