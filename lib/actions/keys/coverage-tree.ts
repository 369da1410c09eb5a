"use server";

import { z } from "zod";
import { fail, ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { KeyIdInput, ownerOf } from "@/lib/actions/keys/fields";
import { type CoverageMid, type CoverageTree, coverageMids, coverageTree } from "@/lib/keys/coverage-tree";
import { keyWithOrg } from "@/lib/keys/queries";

type CoverageResult =
  { kind: "groups"; tree: CoverageTree | null } | { kind: "mids"; mids: CoverageMid[]; page: number; hasMore: boolean };

/**
 * The coverage tree of a meta key, on demand: with `account` (an account ID, or null for the
 * MIDs directly under the portfolio) one page of its MIDs; without it one page of accounts.
 */
export const coverageTreeAction = defineAction(
  {
    name: "coverageTree",
    effect: "read",
    input: KeyIdInput.extend({
      account: z.string().trim().min(1).max(100).nullable().optional(),
      page: z.number().int().min(1).max(100_000).default(1),
    }),
    permission: "keys.view",
    org: ownerOf,
  },
  async ({ input }) => {
    const key = await keyWithOrg(input.keyId);
    if (!key || key.deletedAt || !key.metaScope) return fail("NOT_FOUND", "This key is not a meta key.");
    if (input.account === undefined) {
      return ok<CoverageResult>({ kind: "groups", tree: await coverageTree(key, key.org, { groupPage: input.page }) });
    }
    return ok<CoverageResult>({ kind: "mids", ...(await coverageMids(key, key.org, input.account, input.page)) });
  },
);
