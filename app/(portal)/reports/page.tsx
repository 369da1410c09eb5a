import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { PageLinks } from "@/components/ui/page-links";
import { ReportsTable } from "@/components/reports/reports-table";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { pageParam } from "@/lib/validation";
import { activePgpKey, listReports, NO_PGP_KEY_MESSAGE, REPORT_KIND_LABELS } from "@/lib/reports";

export const metadata: Metadata = { title: "Reports" };

/**
 * Reports (G9): Account Updater response files and Notice of Change reports of the org acted
 * for. Report Download downloads them encrypted to the org's PGP key; View Status shows the
 * Status column. Either permission opens the page.
 */
export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession();
  const canDownload = hasPermission(session, "reports.download");
  const canViewStatus = hasPermission(session, "ccau.viewStatus");
  if (!canDownload && !canViewStatus) forbidden();
  const page = pageParam(await searchParams);
  const [result, pgpKey] = await Promise.all([
    listReports({ org: session.actingOrg, environment: session.environment, page }),
    canDownload ? activePgpKey(session.actingOrg.id, session.environment) : null,
  ]);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Reports</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Account Updater response files and Notice of Change reports for {session.actingOrg.id} in the{" "}
        {session.environment.toLowerCase()} environment. Downloads are encrypted to your active PGP key: decrypt them
        with your private key (for example <code>gpg --decrypt file.pgp</code>).
      </p>
      {canDownload && !pgpKey && (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {NO_PGP_KEY_MESSAGE}{" "}
          <Link href="/keys/new" className="underline">
            Go to Create Key
          </Link>
        </div>
      )}
      {canDownload && pgpKey && (
        <p className="text-sm text-slate-600">
          Encrypted to PGP key <span className="font-mono">{pgpKey.fingerprint}</span>.
        </p>
      )}
      {result.total === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          No reports for {session.actingOrg.id} yet.
        </div>
      ) : (
        <>
          <ReportsTable
            canViewStatus={canViewStatus}
            canDownload={canDownload}
            hasPgpKey={Boolean(pgpKey)}
            rows={result.rows.map((r) => ({
              id: r.id,
              name: r.name,
              kind: REPORT_KIND_LABELS[r.kind],
              created: formatDateTime(r.createdAt),
              status: r.status,
            }))}
          />
          {result.pageCount > 1 && (
            <PageLinks page={result.page} pageCount={result.pageCount} href={(p) => `/reports?page=${p}`}>
              <span>
                Page {result.page} of {result.pageCount} · {result.total} reports
              </span>
            </PageLinks>
          )}
        </>
      )}
    </div>
  );
}
