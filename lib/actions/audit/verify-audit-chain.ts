"use server";

import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { verifyAuditChain } from "@/lib/audit-log";

export const verifyChainAction = defineAction(
  { name: "verifyAuditChain", effect: "read", input: z.object({}).optional(), permission: "audit.view" },
  async ({ session }) => {
    // Only the caller's records are counted and named; the chain itself is checked whole.
    const report = await verifyAuditChain({ scope: session.actingOrg });
    if (report.intact) {
      return ok({ intact: true, message: `The audit log is intact: ${report.checked} of your records checked.` });
    }
    const where =
      report.brokenSeq === null
        ? "a record of another organization does not match the chain"
        : `record ${report.brokenSeq} does not match the chain`;
    return ok({
      intact: false,
      message: `The audit log has been altered: ${where} (${report.checked} of your records before it are intact).`,
    });
  },
);
