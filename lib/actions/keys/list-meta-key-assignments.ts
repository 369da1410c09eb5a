"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { KeyIdInput, ownerOf } from "@/lib/actions/keys/fields";
import { metaKeyAssignmentsPage } from "@/lib/keys/queries";

/** One page of a key's custom selection (for removing MIDs). */
export const listAssignmentsAction = defineAction(
  {
    name: "listAssignments",
    effect: "read",
    input: KeyIdInput.extend({ page: z.number().int().min(1).max(100_000).default(1) }),
    permission: "keys.view",
    org: ownerOf,
  },
  async ({ input }) => ok(await metaKeyAssignmentsPage(input)),
);
