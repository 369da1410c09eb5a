"use server";

import { orgSwitchAction } from "@/lib/actions/settings/org-switch";
import { setRequireMfa } from "@/lib/orgs/settings";

/**
 * A2: require two-step verification of everyone in the org and below it. Lifting the
 * requirement weakens every sign-in below: a change, so confirm it is you (step-up).
 */
export const setRequireMfaAction = orgSwitchAction({
  name: "setRequireMfa",
  field: "required",
  set: (ctx, required) => setRequireMfa({ ctx, required }),
});
