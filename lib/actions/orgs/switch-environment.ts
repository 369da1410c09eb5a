"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { switchEnvironment } from "@/lib/orgs/switch";

/** The environment badge's switch (A5): work with Test or Production keys. */
export const switchEnvironmentAction = defineAction(
  {
    name: "switchEnvironment",
    effect: "own",
    input: z.object({ environment: z.enum(["TEST", "PRODUCTION"]) }),
    permission: null,
  },
  async ({ input, session }) => {
    if (input.environment !== session.environment) await switchEnvironment(session, input.environment);
    return ok({ environment: input.environment });
  },
);
