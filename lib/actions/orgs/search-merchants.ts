"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { searchOrgsWithin } from "@/lib/orgs/search";

/** Quick Merchant Switch: the orgs the caller may act for whose ID or name matches. */
export const searchMerchants = defineAction(
  { name: "searchMerchants", effect: "read", input: z.object({ query: z.string().max(100) }), permission: null },
  async ({ input, session }) => ok(await searchOrgsWithin(session.userOrg, input.query)),
);
