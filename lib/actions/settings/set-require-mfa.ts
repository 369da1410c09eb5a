"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { serviceContext } from "@/lib/context";
import { setRequireMfa } from "@/lib/orgs/settings";

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
