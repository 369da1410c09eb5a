"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { serviceContext } from "@/lib/context";
import { setMetaKeysEnabled } from "@/lib/orgs/settings";

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
