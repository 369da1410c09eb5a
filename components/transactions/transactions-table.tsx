"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";
import { formatDateTime } from "@/lib/format";

/** A Transactions row: what the list shows of a gateway_transactions row. */
export interface TransactionRow {
  id: string;
  merchantId: string | null;
  at: Date;
  applications: string[];
  status: string;
  httpStatus: number;
  amount: string | null;
  currency: string | null;
  keyId: string | null;
  authType: string;
  metaKeyOwner: string | null;
}

const COLUMNS: ColumnDef<TransactionRow>[] = [
  { id: "requestId", header: "Request ID", accessorKey: "id", meta: { className: "font-mono" } },
  { id: "merchant", header: "Merchant", cell: ({ row }) => row.original.merchantId ?? "—", meta: { className: "font-mono" } },
  { id: "time", header: "Time", cell: ({ row }) => formatDateTime(row.original.at), meta: { className: "whitespace-nowrap" } },
  { id: "applications", header: "Applications", cell: ({ row }) => row.original.applications.join(", ") },
  {
    id: "result",
    header: "Result",
    cell: ({ row: { original: t } }) => (
      <span className={t.httpStatus < 300 ? "text-emerald-800" : "text-red-700"}>
        {t.status} ({t.httpStatus})
      </span>
    ),
  },
  {
    id: "amount",
    header: "Amount",
    cell: ({ row: { original: t } }) => (t.amount ? `${t.amount} ${t.currency ?? ""}` : "—"),
  },
  {
    id: "signedWith",
    header: "Signed with",
    cell: ({ row: { original: t } }) =>
      t.keyId ? (
        <>
          <span className="font-mono">{t.keyId}</span> ({t.authType})
          {t.metaKeyOwner && (
            <span className="ml-1 rounded bg-violet-100 px-1.5 py-0.5 text-violet-900">meta key of {t.metaKeyOwner}</span>
          )}
        </>
      ) : (
        "—"
      ),
    meta: { className: "text-xs" },
  },
];

/** Transactions: one page of the list, newest first (the server filters and paginates). */
export function TransactionsTable({ rows }: { rows: TransactionRow[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      data={rows}
      caption="Transactions"
      getRowId={(t) => t.id}
      headClassName="bg-slate-50 text-xs uppercase text-slate-600"
      empty="No transactions match these filters."
    />
  );
}
