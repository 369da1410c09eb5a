"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { MidFilterSchema } from "@/lib/keys/meta-request";
import { searchMids } from "@/lib/orgs/mids";

/** Add Custom Merchant IDs: one page of the transacting MIDs below the org acted for. */
export const searchMidsAction = defineAction(
  {
    name: "searchMids",
    effect: "read",
    input: z.object({ filter: MidFilterSchema.default({}), page: z.number().int().min(1).max(100_000).default(1) }),
    permission: "keys.meta",
  },
  async ({ input, org }) => ok(await searchMids({ owner: org, filter: input.filter, page: input.page, perPage: 25 })),
);
