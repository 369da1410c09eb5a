import type { Metadata } from "next";
import Link from "next/link";
import { BarChart } from "@/components/keys/bar-chart";
import { buttonClass } from "@/components/ui/button";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { dashboardSummary, EXPIRING_SOON_DAYS } from "@/lib/keys/dashboard";
import { filtersToParams } from "@/lib/keys/search-options";
import { keyType } from "@/lib/keys/types";

export const metadata: Metadata = { title: "Dashboard" };

const DAY = 86_400_000;

/** Key Management's search for active keys expiring in a month ("2026-12"). */
function monthSearch(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return `/keys?${filtersToParams({ expiresIn: "custom", expiresStart: `${month}-01`, expiresEnd: last, status: "active" })}`;
}

export default async function DashboardPage() {
  const session = await requirePageSession();
  const canView = hasPermission(session, "keys.view");
  const summary = canView
    ? await dashboardSummary({ orgId: session.actingOrg.id, environment: session.environment })
    : null;
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Dashboard</h1>
      <section aria-labelledby="security-keys" className="rounded-lg border border-slate-200 bg-white p-6">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="security-keys" className="text-lg font-semibold">
            Security Keys
          </h2>
          <div className="ml-auto flex gap-2">
            <Link href="/keys" className={buttonClass("secondary")}>
              View All Keys
            </Link>
            {hasPermission(session, "keys.create") && (
              <Link href="/keys/new" className={buttonClass("primary")}>
                Generate new key
              </Link>
            )}
          </div>
        </div>
        {!summary ? (
          <p className="mt-3 text-slate-600">Your role does not include viewing keys.</p>
        ) : (
          <>
            <p className="mt-3 text-slate-700" data-testid="expiring-count">
              {summary.expiringCount === 0
                ? `No keys of ${session.actingOrg.id} expire in the next ${EXPIRING_SOON_DAYS} days.`
                : `${summary.expiringCount} key${summary.expiringCount === 1 ? "" : "s"} of ${session.actingOrg.id} will expire in the next ${EXPIRING_SOON_DAYS} days.`}
            </p>
            {summary.expiring.length > 0 && (
              <ul className="mt-3 divide-y divide-slate-100 text-sm" aria-label="Keys that will expire soon">
                {summary.expiring.map((k) => {
                  const days = Math.ceil((k.expiresAt.getTime() - summary.now.getTime()) / DAY);
                  return (
                    <li key={k.id} className="flex flex-wrap items-center gap-3 py-2">
                      <Link href={`/keys/${encodeURIComponent(k.id)}`} className="font-mono text-brand-700 underline">
                        {k.id}
                      </Link>
                      <span>{k.name}</span>
                      <span className="text-slate-500">{keyType(k.type).searchLabel}</span>
                      {k.metaScope && (
                        <span className="rounded bg-violet-100 px-2 py-0.5 text-xs font-semibold text-violet-900">
                          Meta key · {k.metaScope === "ALL" ? "all MIDs" : `${k._count.assignments} MIDs`}
                        </span>
                      )}
                      <span className={`ml-auto ${days <= 7 ? "font-semibold text-red-700" : "text-amber-800"}`}>
                        expires {formatDate(k.expiresAt)} (in {days} day{days === 1 ? "" : "s"})
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </>
        )}
      </section>
      {summary && (
        <div className="grid gap-6 lg:grid-cols-2">
          <section aria-labelledby="upcoming" className="rounded-lg border border-slate-200 bg-white p-6">
            <h2 id="upcoming" className="mb-3 text-lg font-semibold">
              Upcoming expirations
            </h2>
            <BarChart
              title="Active keys expiring per month, next 12 months"
              unit="Keys expiring"
              noun={["key expiring", "keys expiring"]}
              empty="No keys expire in the next 12 months."
              note="Key Type All, as Key Management searches it (PGP, Secure Acceptance and message-level encryption keys are under Key inventory by type)."
              data={summary.perMonth.map((m) => ({ label: m.label, count: m.count, href: monthSearch(m.month) }))}
            />
          </section>
          <section aria-labelledby="inventory" className="rounded-lg border border-slate-200 bg-white p-6">
            <h2 id="inventory" className="mb-3 text-lg font-semibold">
              Key inventory by type
            </h2>
            <BarChart
              title="Active keys by type"
              unit="Active keys"
              noun={["active key", "active keys"]}
              empty="No active keys yet."
              orientation="rows"
              data={summary.inventory.map((t) => ({
                label: t.label,
                count: t.count,
                href: `/keys?${filtersToParams({ type: t.type, status: "active", expiresIn: "all" })}`,
              }))}
            />
          </section>
        </div>
      )}
    </div>
  );
}
