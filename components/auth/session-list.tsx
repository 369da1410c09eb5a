"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { endSessionAction } from "@/lib/actions/account/end-session";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { formatDateTime } from "@/lib/format";

export interface SessionRow {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

const when = (iso: string) => formatDateTime(new Date(iso));

/** The signed-in person's own sessions; any of them can be ended (this one signs out). */
export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string>();
  const end = useActionForm(endSessionAction, {
    success: (data) => (data.current ? undefined : "Session ended"),
    onSuccess: (data) => (data.current ? router.push("/sign-in") : router.refresh()),
  });
  return (
    <div className="flex flex-col gap-2">
      <FormError message={end.error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Your sessions</caption>
          <thead className="bg-slate-50 text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">
                Signed in
              </th>
              <th scope="col" className="px-3 py-2">
                Last seen
              </th>
              <th scope="col" className="px-3 py-2">
                IP address
              </th>
              <th scope="col" className="px-3 py-2">
                Browser
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} className="border-t border-slate-100" data-testid="session-row">
                <td className="px-3 py-2">
                  {when(s.createdAt)}
                  {s.current && " "}
                  {s.current && (
                    <span className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-700">
                      This session
                    </span>
                  )}
                </td>
                <td className="px-3 py-2">{when(s.lastSeenAt)}</td>
                <td className="px-3 py-2 font-mono">{s.ip ?? "—"}</td>
                <td className="max-w-xs truncate px-3 py-2" title={s.userAgent ?? undefined}>
                  {s.userAgent ?? "—"}
                </td>
                <td className="px-3 py-2 text-right">
                  <Button
                    variant="secondary"
                    aria-label={s.current ? "End session (this one)" : `End session signed in ${when(s.createdAt)}`}
                    pending={end.pending && busy === s.id}
                    onClick={() => {
                      setBusy(s.id);
                      end.run({ sessionId: s.id });
                    }}
                  >
                    End session
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
