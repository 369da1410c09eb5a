"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { setWebhookUrl } from "@/lib/alerts/webhook-settings";
import { serviceContext } from "@/lib/context";

export const saveWebhookUrlAction = defineAction(
  {
    name: "saveWebhookUrl",
    effect: "change",
    input: z.object({ url: z.string().trim().min(1, "Enter the webhook URL.").max(2000, "At most 2000 characters.") }),
    permission: "settings.manage",
  },
  async ({ input, session, org }) => {
    const r = await setWebhookUrl({ ctx: serviceContext(session, org), url: input.url });
    revalidatePath("/settings");
    return ok(r);
  },
);
