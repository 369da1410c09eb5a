import type { Metadata } from "next";
import Link from "next/link";
import { CheckNowButton, MarkAllReadButton, MarkReadButton } from "@/components/notifications/notification-actions";
import { buttonClass } from "@/components/ui/button";
import { PageLinks } from "@/components/ui/page-links";
import { listNotifications } from "@/lib/alerts/notifications";
import { ALERT_RECIPIENT_PERMISSION } from "@/lib/alerts/recipients";
import { ALERT_HORIZON_DAYS, ALERT_THRESHOLDS_TEXT } from "@/lib/alerts/thresholds";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";
import { formatDate, formatDateTime } from "@/lib/format";
import { pageParam } from "@/lib/validation";

export const metadata: Metadata = { title: "Notifications" };

/** B2: the acting org's expiry alerts, newest first. */
export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("keys.view");
  const org = session.actingOrg;
  const page = pageParam(await searchParams);
  const { rows, total, unread, pageCount } = await listNotifications({ orgId: org.id, page });
  const canCheck = hasPermission(session, "settings.manage");
  const canSeeOutbox = hasPermission(session, ALERT_RECIPIENT_PERMISSION);
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Notifications</h1>
          <p className="text-sm text-slate-600">
            For <span className="font-mono">{org.id}</span> · {org.name}. KeyCenter writes here, and emails the
            organization&apos;s administrators, {ALERT_THRESHOLDS_TEXT} days before a key expires.
          </p>
        </div>
        <div className="flex flex-wrap items-start gap-3">
          {unread > 0 && <MarkAllReadButton />}
          {canCheck && <CheckNowButton />}
          {canSeeOutbox && (
            <Link href="/notifications/outbox" className={buttonClass("ghost")}>
              Outbox
            </Link>
          )}
        </div>
      </div>
      <p className="text-sm" role="status">
        {unread === 0 ? "No unread notifications." : `${unread} unread notification${unread === 1 ? "" : "s"}.`}
      </p>
      {total === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          No notifications yet. Keys expiring within {ALERT_HORIZON_DAYS} days show up here.
        </div>
      ) : (
        <ul aria-label="Notifications" className="flex flex-col gap-3">
          {rows.map((n) => {
            const read = n.readAt !== null;
            return (
              <li
                key={n.id}
                aria-label={`${read ? "Read" : "Unread"}: ${n.title}`}
                className={`flex flex-col gap-2 rounded-lg border bg-white p-4 ${read ? "border-slate-200" : "border-brand-600 border-l-4"}`}
              >
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h2 className="font-semibold">{n.title}</h2>
                  <span
                    className={
                      read
                        ? "rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600"
                        : "rounded-full bg-brand-600 px-2 py-0.5 text-xs font-semibold text-white"
                    }
                  >
                    {read ? "Read" : "Unread"}
                  </span>
                </div>
                <p className="text-sm text-slate-700">{n.body}</p>
                <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
                  {n.keyId && (
                    <div className="flex gap-1">
                      <dt className="text-slate-500">Key:</dt>
                      <dd>
                        <Link
                          href={`/keys/${encodeURIComponent(n.keyId)}`}
                          className="font-mono text-brand-700 underline"
                        >
                          {n.alert?.keyName ? `${n.alert.keyName} (${n.keyId})` : n.keyId}
                        </Link>
                      </dd>
                    </div>
                  )}
                  {n.daysLeft !== null && (
                    <div className="flex gap-1">
                      <dt className="text-slate-500">Days left:</dt>
                      <dd>{n.daysLeft}</dd>
                    </div>
                  )}
                  {n.alert && (
                    <div className="flex gap-1">
                      <dt className="text-slate-500">Expires:</dt>
                      <dd>{formatDate(n.alert.expiresAt)}</dd>
                    </div>
                  )}
                  <div className="flex gap-1">
                    <dt className="text-slate-500">Received:</dt>
                    <dd>{formatDateTime(n.createdAt)}</dd>
                  </div>
                </dl>
                {!read && (
                  <div>
                    <MarkReadButton id={n.id} title={n.title} />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {pageCount > 1 && (
        <PageLinks page={page} pageCount={pageCount} href={(p) => `/notifications?page=${p}`}>
          <span>
            Page {page} of {pageCount}
          </span>
        </PageLinks>
      )}
    </div>
  );
}
