"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { endSessionAction } from "@/lib/actions/account/end-session";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";

export interface SessionRow {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

const when = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });

/** The signed-in person's own sessions; any of them can be ended (this one signs out). */
export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  return (
    <div className="flex flex-col gap-2">
      <FormError message={error} />
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
                    pending={pending && busy === s.id}
                    onClick={() => {
                      setBusy(s.id);
                      setError(undefined);
                      start(async () => {
                        const r = await endSessionAction({ sessionId: s.id });
                        if (!r.ok) return setError(r.error.message);
                        if (r.data.current) router.push("/sign-in");
                        else router.refresh();
                      });
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
