"use server";

import { z } from "zod";
import { defineAction, ok } from "@/lib/actions";
import { verifyAuditChain } from "@/lib/audit-log";

export const verifyChainAction = defineAction(
  { name: "verifyAuditChain", effect: "read", input: z.object({}).optional(), permission: "audit.view" },
  async () => {
    const report = await verifyAuditChain();
    return ok(
      report.intact
        ? { intact: true, message: `The audit log is intact: ${report.checked} records checked.` }
        : {
            intact: false,
            message: `The audit log has been altered: record ${report.brokenSeq} does not match the chain (${report.checked} records before it are intact).`,
          },
    );
  },
);
