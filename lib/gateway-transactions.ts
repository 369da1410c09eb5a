import { csvLine } from "@/lib/csv";
import { prisma } from "@/lib/db";
import { unclean } from "@/lib/gateway/input";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Environment } from "@/lib/generated/prisma/enums";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { scopeWhere } from "@/lib/orgs/scope";
import { COUNT_CAP, pageInfo } from "@/lib/pagination";
import type { TransactionFilters } from "@/lib/transaction-filters";

const DAY_MS = 86_400_000;

type ListInput = TransactionFilters & { scope: OrgRef; environment: Environment };

/**
 * The where-clause: the MID itself, or for a portfolio or account one indexed equality on the
 * row's scope columns (set on insert from the merchant's org, or the meta key's owner for a row
 * without merchant): never a list of the MIDs below it (lib/orgs/scope.ts); then the filters.
 * Null when a filter no ID can match (NUL, lone surrogates, very long): nothing is found, without a query.
 */
function transactionsWhere(input: ListInput): Prisma.GatewayTransactionWhereInput | null {
  if (unclean(input.requestId, 200) || unclean(input.merchantId, 200) || unclean(input.keyId, 200)) return null;
  const at: Prisma.DateTimeFilter = {};
  if (input.from) at.gte = new Date(`${input.from}T00:00:00.000Z`);
  if (input.to) at.lt = new Date(Date.parse(`${input.to}T00:00:00.000Z`) + DAY_MS);
  return {
    AND: [
      scopeWhere(input.scope, "merchantId"),
      { environment: input.environment },
      input.requestId ? { id: input.requestId.trim() } : {},
      input.merchantId ? { merchantId: input.merchantId.trim() } : {},
      input.keyId ? { keyId: input.keyId.trim() } : {},
      input.authType ? { authType: input.authType } : {},
      input.result === "success" ? { httpStatus: { lt: 300 } } : input.result === "failure" ? { httpStatus: { gte: 300 } } : {},
      at.gte || at.lt ? { at } : {},
    ],
  };
}

/**
 * Transaction Management > Transactions (G5): the requests that reached the test gateway,
 * for the org acted for and, for portfolio and account users, the MIDs below it; newest
 * first, paginated in the database (index: scope column, environment, at, id), counted up to a cap. Rows without tenant (`merchantId` null: requests that named
 * no real key) match none of these conditions, so they show on no one's list.
 */
export async function listTransactions(input: ListInput & { page?: number; perPage?: number }) {
  const perPage = input.perPage ?? 25;
  const page = input.page ?? 1;
  const where = transactionsWhere(input);
  if (!where) return { rows: [], ...pageInfo(0, page, perPage, false) };
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

export const TRANSACTION_CSV_COLUMNS = [
  "request id",
  "time",
  "merchant",
  "applications",
  "status",
  "http status",
  "reason",
  "amount",
  "currency",
  "key id",
  "authentication type",
  "meta key owner",
] as const;

type TransactionRow = Prisma.GatewayTransactionGetPayload<object>;

function transactionCsvLine(t: TransactionRow): string {
  return csvLine([
    t.id,
    t.at.toISOString(),
    t.merchantId,
    t.applications.join(" "),
    t.status,
    t.httpStatus,
    t.reason,
    t.amount,
    t.currency,
    t.keyId,
    t.authType,
    t.metaKeyOwner,
  ]);
}

/**
 * Export CSV of the Transactions list: every row the filters find for the org acted for (the
 * list's where-clause), newest first, read `batchSize` at a time by keyset on (at, id), so a
 * portfolio's million transactions stream without OFFSET scans or sitting in memory.
 */
export async function* exportTransactionsCsv(input: ListInput & { batchSize?: number }): AsyncGenerator<string> {
  const batchSize = input.batchSize ?? 1000;
  yield csvLine(TRANSACTION_CSV_COLUMNS);
  const where = transactionsWhere(input);
  if (!where) return;
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const batch: TransactionRow[] = await prisma.gatewayTransaction.findMany({
      where: after
        ? { AND: [where, { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] }] }
        : where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: batchSize,
    });
    if (batch.length === 0) return;
    yield batch.map(transactionCsvLine).join("");
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}
