import type { Metadata } from "next";
import Link from "next/link";
import { listOutbox } from "@/lib/alerts/notifications";
import { ALERT_RECIPIENT_PERMISSION } from "@/lib/alerts/recipients";
import { requirePageSession } from "@/lib/auth/page";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Outbox" };

/** Demo mode (no SMTP_URL): the alert emails KeyCenter would have sent, for administrators. */
export default async function OutboxPage() {
  const session = await requirePageSession(ALERT_RECIPIENT_PERMISSION);
  const org = session.actingOrg;
  const emails = await listOutbox({ orgId: org.id });
  const smtp = Boolean(process.env.SMTP_URL);
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <div>
        <Link href="/notifications" className="text-sm text-brand-700 underline">
          Notifications
        </Link>
        <h1 className="text-2xl font-semibold">Outbox</h1>
        <p className="text-sm text-slate-600">
          For <span className="font-mono">{org.id}</span> · {org.name}.{" "}
          {smtp
            ? "An SMTP server is configured (SMTP_URL): alert emails go to it, and only older ones are here."
            : "No SMTP server is configured (SMTP_URL), so alert emails are kept here instead of being sent."}
        </p>
      </div>
      {emails.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          No emails in the outbox.
        </div>
      ) : (
        <ul aria-label="Emails" className="flex flex-col gap-3">
          {emails.map((m) => (
            <li key={m.id} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
              <h2 className="font-semibold">{m.subject}</h2>
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-slate-700">
                <dt className="text-slate-500">To</dt>
                <dd>{m.to}</dd>
                <dt className="text-slate-500">From</dt>
                <dd>{m.from}</dd>
                <dt className="text-slate-500">Written</dt>
                <dd>{formatDateTime(m.createdAt)}</dd>
              </dl>
              <details className="mt-2">
                <summary className="cursor-pointer text-brand-700">Show message</summary>
                <pre className="mt-2 whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-sans">{m.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
