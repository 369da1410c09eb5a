"use server";

import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { sendTestWebhook } from "@/lib/alerts/webhook-settings";
import { serviceContext } from "@/lib/context";

export const sendTestWebhookAction = defineAction(
  { name: "sendTestWebhook", effect: "run", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    const r = await sendTestWebhook({ ctx: serviceContext(session, org) });
    if (!r.ok) return fail("WEBHOOK_FAILED", `The test event was not accepted: ${r.error}.`);
    return ok({ status: r.status });
  },
);
