import type { Metadata } from "next";
import { AuditFilterForm } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { VerifyChainButton } from "@/components/audit/verify-chain-button";
import { buttonClass } from "@/components/ui/button";
import { PageLinks } from "@/components/ui/page-links";
import { auditFiltersOrDefaults, auditFiltersToParams, AUDIT_PAGE_SIZE, listAuditEvents, withoutDetails } from "@/lib/audit-log";
import { countLabel } from "@/lib/pagination";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("audit.view");
  // Values the page cannot use fall back to their defaults, with a notice (never validation text).
  const { filters, page, notices } = auditFiltersOrDefaults(await searchParams);
  const result = await listAuditEvents({ scope: session.actingOrg, filters, page });
  const href = (p: number) => {
    const q = auditFiltersToParams(filters, p);
    return `/audit${q.size ? `?${q}` : ""}`;
  };
  const exportQuery = auditFiltersToParams(filters);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Audit</h1>
        {hasPermission(session, "audit.export") && (
          <a
            href={`/audit/export${exportQuery.size ? `?${exportQuery}` : ""}`}
            className={buttonClass("secondary", "ml-auto")}
            download
          >
            Export CSV
          </a>
        )}
      </div>
      <p className="text-sm text-slate-600">
        Every change, key download and sign-in for <span className="font-mono">{session.actingOrg.id}</span> and the
        organizations below it. Records are append-only and chained by hash.
      </p>
      <VerifyChainButton />

      <section aria-labelledby="audit-filters" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="audit-filters" className="mb-4 text-lg font-semibold">
          Search Filters
        </h2>
        <AuditFilterForm key={JSON.stringify(filters)} filters={filters} />
      </section>
      {notices.length > 0 && (
        <div role="status" className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          {notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}

      <section aria-labelledby="audit-results" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline gap-3">
          <h2 id="audit-results" className="text-lg font-semibold">
            Events
          </h2>
          <p role="status" className="text-sm text-slate-600">
            {result.total === 0
              ? "No events"
              : result.rows.length === 0
                ? `No events on page ${result.page} of ${countLabel(result, "event", "events")}`
                : `Showing ${(result.page - 1) * AUDIT_PAGE_SIZE + 1}–${(result.page - 1) * AUDIT_PAGE_SIZE + result.rows.length} of ${countLabel(result, "event", "events")}, newest first`}
          </p>
        </div>
        {result.total === 0 && (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
            No events match these filters.
          </p>
        )}
        {result.total > 0 && (
          <>
            <AuditTable rows={result.rows.map(withoutDetails)} />
            <PageLinks page={result.page} pageCount={result.pageCount} href={href}>
              <span>
                Page {result.page} of {result.pageCount}
                {result.more ? "+" : ""}
              </span>
            </PageLinks>
          </>
        )}
      </section>
    </div>
  );
}
