import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { PageLinks } from "@/components/ui/page-links";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { requirePageSession } from "@/lib/auth/page";
import { formatDateTime } from "@/lib/format";
import { listTransactions } from "@/lib/gateway-transactions";
import { countLabel } from "@/lib/pagination";
import { parseTransactionFilters } from "@/lib/transaction-filters";

export const metadata: Metadata = { title: "Transactions" };

export default async function TransactionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("transactions.view");
  const { filters: q, page, errors } = parseTransactionFilters(await searchParams);
  const valid = Object.keys(errors).length === 0;
  const result = valid
    ? await listTransactions({ scope: session.actingOrg, environment: session.environment, ...q, page })
    : { rows: [], total: 0, more: false, page: 1, pageCount: 1 };
  const href = (p: number) => {
    const params = new URLSearchParams();
    if (q.requestId) params.set("requestId", q.requestId);
    if (q.merchantId) params.set("merchantId", q.merchantId);
    params.set("page", String(p));
    return `/transactions?${params}`;
  };
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Transactions</h1>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Request ID
          <input
            name="requestId"
            defaultValue={q.requestId}
            aria-invalid={errors.requestId ? true : undefined}
            aria-describedby={errors.requestId ? "requestId-error" : undefined}
            className="rounded-md border border-slate-300 px-3 py-2 font-normal"
          />
          {errors.requestId && (
            <span id="requestId-error" className="font-normal text-red-700">
              {errors.requestId}
            </span>
          )}
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Merchant ID
          <input
            name="merchantId"
            defaultValue={q.merchantId}
            aria-invalid={errors.merchantId ? true : undefined}
            aria-describedby={errors.merchantId ? "merchantId-error" : undefined}
            className="rounded-md border border-slate-300 px-3 py-2 font-normal"
          />
          {errors.merchantId && (
            <span id="merchantId-error" className="font-normal text-red-700">
              {errors.merchantId}
            </span>
          )}
        </label>
        <button type="submit" className={buttonClass("primary")}>
          Search
        </button>
        <Link href="/transactions" className={buttonClass("secondary")}>
          Reset
        </Link>
      </form>
      {!valid ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          Correct the search filters marked above, then click Search.
        </p>
      ) : result.total === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          No transactions yet. Send a test payment from the{" "}
          <Link href="/live-console" className="underline">
            Live Console
          </Link>{" "}
          or with a Cybersource REST SDK pointed at this KeyCenter.
        </div>
      ) : (
        <>
          <ScrollRegion label="Transactions">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Transactions</caption>
              <thead className="bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Request ID
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Merchant
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Time
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Applications
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Result
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Amount
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Signed with
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((t) => (
                  <tr key={t.id} className="border-t border-slate-100">
                    <td className="px-3 py-2 font-mono">{t.id}</td>
                    <td className="px-3 py-2 font-mono">{t.merchantId}</td>
                    <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(t.at)}</td>
                    <td className="px-3 py-2">{t.applications.join(", ")}</td>
                    <td className="px-3 py-2">
                      <span className={t.httpStatus < 300 ? "text-emerald-800" : "text-red-700"}>
                        {t.status} ({t.httpStatus})
                      </span>
                    </td>
                    <td className="px-3 py-2">{t.amount ? `${t.amount} ${t.currency ?? ""}` : "—"}</td>
                    <td className="px-3 py-2 text-xs">
                      {t.keyId ? (
                        <>
                          <span className="font-mono">{t.keyId}</span> ({t.authType})
                          {t.metaKeyOwner && (
                            <span className="ml-1 rounded bg-violet-100 px-1.5 py-0.5 text-violet-900">
                              meta key of {t.metaKeyOwner}
                            </span>
                          )}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
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
