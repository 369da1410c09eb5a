import type { Metadata } from "next";
import Link from "next/link";
import { TransactionFilterForm } from "@/components/transactions/transaction-filter-form";
import { TransactionsTable } from "@/components/transactions/transactions-table";
import { buttonClass } from "@/components/ui/button";
import { PageLinks } from "@/components/ui/page-links";
import { requirePageSession } from "@/lib/auth/page";
import { listTransactions } from "@/lib/gateway-transactions";
import { countLabel } from "@/lib/pagination";
import { transactionFiltersOrDefaults, transactionFiltersToParams } from "@/lib/transaction-filters";

export const metadata: Metadata = { title: "Transactions" };

export default async function TransactionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("transactions.view");
  // Values the page cannot use fall back to their defaults, with a notice (never validation text).
  const { filters, page, notices } = transactionFiltersOrDefaults(await searchParams);
  const filtered = transactionFiltersToParams(filters).size > 0;
  const result = await listTransactions({ scope: session.actingOrg, environment: session.environment, ...filters, page });
  const href = (p: number) => `/transactions?${transactionFiltersToParams(filters, p)}`;
  const exportQuery = transactionFiltersToParams(filters);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Transactions</h1>
        {result.total > 0 && (
          <a
            href={`/transactions/export${exportQuery.size ? `?${exportQuery}` : ""}`}
            className={buttonClass("secondary", "ml-auto")}
            download
          >
            Export CSV
          </a>
        )}
      </div>
      <TransactionFilterForm key={JSON.stringify(filters)} filters={filters} />
      {notices.length > 0 && (
        <div role="status" className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          {notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}
      {result.total === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          {filtered ? (
            <>
              No transactions match these filters.{" "}
              <Link href="/transactions" className="underline">
                Reset the filters
              </Link>
              .
            </>
          ) : (
            <>
              No transactions yet. Send a test payment from the{" "}
              <Link href="/live-console" className="underline">
                Live Console
              </Link>{" "}
              or with a Cybersource REST SDK pointed at this KeyCenter.
            </>
          )}
        </div>
      ) : (
        <>
          <TransactionsTable
            rows={result.rows.map((t) => ({
              id: t.id,
              merchantId: t.merchantId,
              at: t.at,
              applications: t.applications,
              status: t.status,
              httpStatus: t.httpStatus,
              amount: t.amount,
              currency: t.currency,
              keyId: t.keyId,
              authType: t.authType,
              metaKeyOwner: t.metaKeyOwner,
            }))}
          />
          <PageLinks page={result.page} pageCount={result.pageCount} href={href}>
            <span>
              Page {result.page} of {result.pageCount}
              {result.more ? "+" : ""} · {countLabel(result, "transaction", "transactions")}
            </span>
          </PageLinks>
        </>
      )}
    </div>
  );
}
