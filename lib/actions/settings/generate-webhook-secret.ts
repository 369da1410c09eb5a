"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { createWebhookSecret } from "@/lib/alerts/webhook-settings";
import { serviceContext } from "@/lib/context";

/** The secret is in this result only: it is stored sealed and never shown again. */
export const generateWebhookSecretAction = defineAction(
  { name: "generateWebhookSecret", effect: "change", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    const r = await createWebhookSecret({ ctx: serviceContext(session, org) });
    revalidatePath("/settings");
    return ok(r);
  },
);
