"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { createWebhookSecret, removeWebhook, sendTestWebhook, setWebhookUrl } from "@/lib/alerts/webhook-settings";
import { serviceContext } from "@/lib/context";
import { setMetaKeysEnabled, setRequireMfa } from "@/lib/orgs/settings";

export const setMetaKeysEnabledAction = defineAction(
  {
    name: "setMetaKeysEnabled",
    effect: "change",
    input: z.object({ enabled: z.boolean() }),
    permission: "settings.manage",
    // Turning the feature off stops every meta key at once: confirm it is you.
  },
  async ({ input, session, org }) => {
    if (org.type === "MERCHANT") return fail("NOT_ALLOWED", "Meta keys belong to portfolios and merchant accounts.");
    const r = await setMetaKeysEnabled({ ctx: serviceContext(session, org), enabled: input.enabled });
    revalidatePath("/settings");
    return ok(r);
  },
);

/** A2: require two-step verification of everyone in the org and below it. */
export const setRequireMfaAction = defineAction(
  {
    name: "setRequireMfa",
    effect: "change",
    input: z.object({ required: z.boolean() }),
    permission: "settings.manage",
    // Lifting the requirement weakens every sign-in below: confirm it is you.
  },
  async ({ input, session, org }) => {
    const r = await setRequireMfa({ ctx: serviceContext(session, org), required: input.required });
    revalidatePath("/settings");
    return ok(r);
  },
);

// ---- the expiry-alert webhook (B2) ----

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

/** The secret is in this result only: it is stored sealed and never shown again. */
export const generateWebhookSecretAction = defineAction(
  { name: "generateWebhookSecret", effect: "change", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    const r = await createWebhookSecret({ ctx: serviceContext(session, org) });
    revalidatePath("/settings");
    return ok(r);
  },
);

export const sendTestWebhookAction = defineAction(
  { name: "sendTestWebhook", effect: "run", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    const r = await sendTestWebhook({ ctx: serviceContext(session, org) });
    if (!r.ok) return fail("WEBHOOK_FAILED", `The test event was not accepted: ${r.error}.`);
    return ok({ status: r.status });
  },
);

export const removeWebhookAction = defineAction(
  { name: "removeWebhook", effect: "change", input: z.object({}).optional(), permission: "settings.manage" },
  async ({ session, org }) => {
    await removeWebhook({ ctx: serviceContext(session, org) });
    revalidatePath("/settings");
    return ok(undefined);
  },
);
