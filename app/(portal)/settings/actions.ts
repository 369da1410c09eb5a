"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction, fail, ok } from "@/lib/actions";
import { keyContext } from "@/lib/keys/context";
import { setMetaKeysEnabled } from "@/lib/orgs/settings";

export const setMetaKeysEnabledAction = defineAction(
  {
    name: "setMetaKeysEnabled",
    input: z.object({ enabled: z.boolean() }),
    permission: "settings.manage",
    // Turning the feature off stops every meta key at once: confirm it is you.
    stepUp: ({ enabled }) => !enabled,
  },
  async ({ input, session, org }) => {
    if (org.type === "MERCHANT") return fail("NOT_ALLOWED", "Meta keys belong to portfolios and merchant accounts.");
    const r = await setMetaKeysEnabled({ ctx: keyContext(session, org), enabled: input.enabled });
    revalidatePath("/settings");
    return ok(r);
  },
);
