import type { Metadata } from "next";
import Link from "next/link";
import { KeyResultsTable, StatusBadge } from "@/components/keys/results-table";
import { formatDate } from "@/lib/format";
import { metaKeysCovering } from "@/lib/keys/meta";
import { keyStatus } from "@/lib/keys/status";
import { keyType } from "@/lib/keys/types";
import { KeySearchForm } from "@/components/keys/search-form";
import { buttonClass } from "@/components/ui/button";
import { PageLinks } from "@/components/ui/page-links";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";
import { searchOrgsWithin } from "@/lib/orgs/search";
import { filtersToParams, parseFilters, searchKeys, searchOrg, type KeySearchResult } from "@/lib/keys/search";

export const metadata: Metadata = { title: "Key Management" };

export default async function KeyManagementPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("keys.view");
  const { filters, errors, notices } = parseFilters(await searchParams);
  const now = new Date();

  // Merchant (portfolio and account users only): default the org acted for.
  const scope = await searchOrg(session, filters);
  const { org, pickMerchant } = scope;
  if (scope.error) errors.merchant ??= scope.error;
  const shownFilters = { ...filters, merchant: pickMerchant ? org.id : undefined };
  const canSearch = Object.keys(errors).length === 0;
  const result: KeySearchResult | null = canSearch
    ? await searchKeys({ orgId: org.id, environment: session.environment, filters, now })
    : null;
  const merchants = pickMerchant ? await searchOrgsWithin(session.userOrg, "", 200) : undefined;
  // A transacting MID's view also shows which meta keys act for it.
  const covering = org.type === "MERCHANT" && canSearch ? await metaKeysCovering(org) : null;

  const pageHref = (page: number) => {
    const p = filtersToParams({ ...filters, merchant: filters.merchant, page });
    return `/keys${p.size ? `?${p}` : ""}`;
  };

  const exportQuery = filtersToParams({ ...filters, page: 1 });
  const exportHref = `/keys/export${exportQuery.size ? `?${exportQuery}` : ""}`;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Key Management</h1>
        {hasPermission(session, "keys.create") && (
          <Link href="/keys/new" className={buttonClass("primary", "ml-auto")}>
            + Generate key
          </Link>
        )}
      </div>

      <section aria-labelledby="search-filters" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="search-filters" className="mb-4 text-lg font-semibold">
          Search Filters
        </h2>
        {/* Keyed by the filters: a new search (or Reset Search) re-renders the form from the URL. */}
        <KeySearchForm
          key={JSON.stringify(shownFilters)}
          filters={shownFilters}
          errors={errors}
          merchants={merchants}
        />
      </section>

      {notices.length > 0 && (
        // Filter values from the URL that no list has: dropped for the defaults, said politely.
        <div role="status" className="rounded-md border border-sky-200 bg-sky-50 p-4 text-sm text-sky-900">
          {notices.map((notice) => (
            <p key={notice}>{notice}</p>
          ))}
        </div>
      )}

      <section aria-labelledby="search-results" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline gap-3">
          <h2 id="search-results" className="text-lg font-semibold">
            Search Results
          </h2>
          {result && (
            <p className="text-sm text-slate-600" role="status">
              {result.total === 0
                ? "No keys"
                : `Showing ${(result.page - 1) * filters.perPage + 1}–${(result.page - 1) * filters.perPage + result.rows.length} of ${result.total} key${result.total === 1 ? "" : "s"}`}{" "}
              for <span className="font-mono">{org.id}</span>
            </p>
          )}
          {result && result.total > 0 && (
            <a href={exportHref} className={buttonClass("secondary", "ml-auto")} download>
              Export CSV
            </a>
          )}
        </div>
        {!result && (
          <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
            Correct the search filters marked above, then click Search.
          </p>
        )}
        {result && result.total === 0 && (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
            <p className="font-medium">No keys match these filters.</p>
            <p className="mt-1 text-sm">
              Expires In shows the next 60 days by default, and Key Type All leaves out PGP, Secure Acceptance and
              message-level encryption keys. Change the filters or{" "}
              <Link href="/keys" className="underline">
                reset the search
              </Link>
              .
            </p>
          </div>
        )}
        {result && result.total > 0 && (
          <>
            <KeyResultsTable
              rows={result.rows}
              canDelete={hasPermission(session, "keys.delete", org)}
              canRegenerate={hasPermission(session, "keys.meta", org) && hasPermission(session, "keys.create", org)}
              now={now}
            />
            <PageLinks page={result.page} pageCount={result.pageCount} href={pageHref}>
              <span>
                Page {result.page} of {result.pageCount}
              </span>
            </PageLinks>
          </>
        )}
      </section>

      {covering && (
        <section aria-labelledby="covering" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="covering" className="text-lg font-semibold">
            Meta keys that cover {org.id}
          </h2>
          {covering.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">
              No meta key of a portfolio or merchant account covers this MID.
            </p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-100 text-sm">
              {covering.map((k) => (
                <li key={k.id} className="flex flex-wrap gap-3 py-2">
                  <span className="font-mono">{k.id}</span>
                  <span>{k.name}</span>
                  <span className="text-slate-500">
                    {keyType(k.type).searchLabel} · owned by <span className="font-mono">{k.orgId}</span> ·{" "}
                    {k.metaScope === "ALL" ? "All current and future MIDs" : "Custom selection"}
                  </span>
                  <span className="ml-auto">
                    <StatusBadge status={keyStatus(k, now)} /> expires {formatDate(k.expiresAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
