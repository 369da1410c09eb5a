import Link from "next/link";
import { formatDate } from "@/lib/format";
import type { KeyRow } from "@/lib/keys/search";
import { keyStatus } from "@/lib/keys/status";
import { keyType } from "@/lib/keys/types";
import { DeleteKeyButton } from "./key-actions";

export function StatusBadge({ status }: { status: "Active" | "Inactive" }) {
  return (
    <span
      className={
        status === "Active"
          ? "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900"
          : "rounded-full bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-700"
      }
    >
      {status}
    </span>
  );
}

/** Search Results: one row per key, the key ID links to Key Information. */
export function KeyResultsTable({
  rows,
  canDelete,
  canRegenerate = false,
  now,
}: {
  rows: KeyRow[];
  canDelete: boolean;
  canRegenerate?: boolean;
  now: Date;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Keys</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">
              Key ID
            </th>
            <th scope="col" className="px-3 py-2">
              Name
            </th>
            <th scope="col" className="px-3 py-2">
              Key Type
            </th>
            <th scope="col" className="px-3 py-2">
              Merchant
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2">
              Created
            </th>
            <th scope="col" className="px-3 py-2">
              Expires
            </th>
            <th scope="col" className="px-3 py-2">
              Meta Key
            </th>
            {canDelete && (
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Delete</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((k) => (
            <tr key={k.id} className="border-t border-slate-100">
              <td className="px-3 py-2 font-mono">
                <Link href={`/keys/${encodeURIComponent(k.id)}`} className="text-brand-700 underline">
                  {k.id}
                </Link>
              </td>
              <td className="px-3 py-2">{k.name}</td>
              <td className="px-3 py-2">{keyType(k.type).searchLabel}</td>
              <td className="px-3 py-2 font-mono">{k.orgId}</td>
              <td className="px-3 py-2">
                <StatusBadge status={keyStatus(k, now)} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDate(k.createdAt)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDate(k.expiresAt)}</td>
              <td className="px-3 py-2">
                {k.metaScope ? (
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="rounded bg-violet-100 px-2 py-0.5 text-xs font-semibold text-violet-900">
                      Meta key{k.metaScope === "ALL" ? " · All MIDs" : ""}
                    </span>
                    {canRegenerate && (
                      <Link
                        href={`/keys/new?regenerate=${encodeURIComponent(k.id)}`}
                        className="text-xs text-brand-700 underline"
                        aria-label={`Regenerate meta key ${k.id}`}
                      >
                        Regenerate meta key
                      </Link>
                    )}
                  </span>
                ) : (
                  <span className="sr-only">No</span>
                )}
              </td>
              {canDelete && (
                <td className="px-3 py-2 text-right">
                  <DeleteKeyButton keyId={k.id} compact />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
