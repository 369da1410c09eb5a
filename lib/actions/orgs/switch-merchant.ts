"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { getOrg } from "@/lib/orgs/search";
import { switchActingOrg } from "@/lib/orgs/switch";

/** Switch merchant: act for `orgId` (checked against the caller's scope by defineAction). */
export const switchMerchant = defineAction(
  {
    name: "switchMerchant",
    effect: "own",
    input: z.object({ orgId: z.string().trim().min(1, "Choose a merchant ID.").max(100) }),
    permission: null,
    org: ({ orgId }) => getOrg(orgId),
  },
  async ({ session, org }) => {
    await switchActingOrg(session, org.id);
    return ok({ orgId: org.id });
  },
);
