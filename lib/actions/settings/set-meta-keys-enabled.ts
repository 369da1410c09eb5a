"use server";

import { fail } from "@/lib/action-result";
import { orgSwitchAction } from "@/lib/actions/settings/org-switch";
import { setMetaKeysEnabled } from "@/lib/orgs/settings";

/**
 * Meta keys on or off for a portfolio or merchant account. Turning the feature off stops every
 * meta key at once: a change, so confirm it is you (step-up).
 */
export const setMetaKeysEnabledAction = orgSwitchAction({
  name: "setMetaKeysEnabled",
  field: "enabled",
  set: (ctx, enabled) => setMetaKeysEnabled({ ctx, enabled }),
  refuse: (org) =>
    org.type === "MERCHANT" ? fail("NOT_ALLOWED", "Meta keys belong to portfolios and merchant accounts.") : undefined,
});
