import { prisma } from "@/lib/db";
import { unclean } from "@/lib/gateway/input";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Environment } from "@/lib/generated/prisma/enums";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { scopeWhere } from "@/lib/orgs/scope";
import { COUNT_CAP, pageInfo } from "@/lib/pagination";

/**
 * Transaction Management > Transactions (G5): the requests that reached the test gateway,
 * for the org acted for and, for portfolio and account users, the MIDs below it; newest
 * first, paginated in the database (index: scope column, environment, at, id), counted up to a cap. Rows without tenant (`merchantId` null: requests that named
 * no real key) match none of these conditions, so they show on no one's list.
 */
export async function listTransactions(input: {
  scope: OrgRef;
  environment: Environment;
  requestId?: string;
  merchantId?: string;
  page?: number;
  perPage?: number;
}) {
  const perPage = input.perPage ?? 25;
  const page = input.page ?? 1;
  // A filter no ID can match (NUL, lone surrogates, very long) finds nothing, without a query.
  if (unclean(input.requestId, 200) || unclean(input.merchantId, 200)) {
    return { rows: [], ...pageInfo(0, page, perPage, false) };
  }
  // The MID itself, or for a portfolio or account one indexed equality on the row's scope
  // columns (set on insert from the merchant's org, or the meta key's owner for a row without
  // merchant): never a list of the MIDs below it (lib/orgs/scope.ts).
  const below: Prisma.GatewayTransactionWhereInput = scopeWhere(input.scope, "merchantId");
  const where: Prisma.GatewayTransactionWhereInput = {
    AND: [
      below,
      { environment: input.environment },
      input.requestId ? { id: input.requestId.trim() } : {},
      input.merchantId ? { merchantId: input.merchantId.trim() } : {},
    ],
  };
  // Counted up to COUNT_CAP (lib/pagination.ts); one row of look-ahead says whether Next goes on past it.
  const [counted, fetched] = await Promise.all([
    prisma.gatewayTransaction.count({ where, take: COUNT_CAP + 1 }),
    prisma.gatewayTransaction.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (page - 1) * perPage,
      take: perPage + 1,
    }),
  ]);
  const rows = fetched.slice(0, perPage);
  return { rows, ...pageInfo(counted, page, perPage, fetched.length > perPage) };
}
