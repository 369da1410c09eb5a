"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { createContext, use, useState } from "react";
import { endSessionAction } from "@/lib/actions/account/end-session";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
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

/** End session of one row: which one is ending, and how to end one (a context: the columns stay one constant). */
const EndSessionContext = createContext<{ pendingId?: string; end: (id: string) => void }>({ end: () => {} });

function EndSessionButton({ session: s }: { session: SessionRow }) {
  const { pendingId, end } = use(EndSessionContext);
  return (
    <Button
      variant="secondary"
      aria-label={s.current ? "End session (this one)" : `End session signed in ${when(s.createdAt)}`}
      pending={pendingId === s.id}
      onClick={() => end(s.id)}
    >
      End session
    </Button>
  );
}

const COLUMNS: ColumnDef<SessionRow>[] = [
  {
    id: "signedIn",
    header: "Signed in",
    cell: ({ row: { original: s } }) => (
      <>
        {when(s.createdAt)}
        {s.current && " "}
        {s.current && (
          <span className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-700">
            This session
          </span>
        )}
      </>
    ),
  },
  { id: "lastSeen", header: "Last seen", cell: ({ row }) => when(row.original.lastSeenAt) },
  { id: "ip", header: "IP address", cell: ({ row }) => row.original.ip ?? "—", meta: { className: "font-mono" } },
  {
    id: "browser",
    header: "Browser",
    cell: ({ row }) => <span title={row.original.userAgent ?? undefined}>{row.original.userAgent ?? "—"}</span>,
    meta: { className: "max-w-xs truncate" },
  },
  {
    id: "actions",
    header: "Actions",
    cell: ({ row }) => <EndSessionButton session={row.original} />,
    meta: { className: "text-right", srOnlyHeader: true },
  },
];

/** The signed-in person's own sessions; any of them can be ended (this one signs out). */
export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string>();
  const end = useActionForm(endSessionAction, {
    success: (data) => (data.current ? undefined : "Session ended"),
    onSuccess: (data) => (data.current ? router.push("/sign-in") : router.refresh()),
  });
  const context = {
    pendingId: end.pending ? busy : undefined,
    end: (sessionId: string) => {
      setBusy(sessionId);
      end.run({ sessionId });
    },
  };
  return (
    <div className="flex flex-col gap-2">
      <FormError message={end.error} />
      <EndSessionContext value={context}>
        <DataTable
          columns={COLUMNS}
          data={sessions}
          caption="Your sessions"
          getRowId={(s) => s.id}
          rowAttributes={() => ({ "data-testid": "session-row" })}
          empty="No open sessions"
        />
      </EndSessionContext>
    </div>
  );
}
