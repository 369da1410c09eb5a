import { expect } from "vitest";
import { prisma } from "@/lib/db";
import type { GatewayTransaction } from "@/lib/generated/prisma/client";

/**
 * A reader of gateway_transactions for one test file: each call returns the one row written
 * since the previous call (and fails when there is not exactly one).
 */
export function transactionReader(): () => Promise<GatewayTransaction> {
  const seen = new Set<string>();
  return async () => {
    const rows = await prisma.gatewayTransaction.findMany({ where: { id: { notIn: [...seen] } } });
    expect(rows).toHaveLength(1);
    seen.add(rows[0]!.id);
    return rows[0]!;
  };
}
