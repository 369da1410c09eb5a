import type { AuditRow } from "@/lib/audit-log";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { formatDateTime } from "@/lib/format";

const COLUMNS = ["Time", "Who", "Org", "Action", "Target", "Result", "IP", "User agent"];

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <ScrollRegion label="Audit events">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-50 text-slate-700">
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className="px-3 py-2 whitespace-nowrap">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq} className="border-t border-slate-100 align-top">
              <td className="px-3 py-2 whitespace-nowrap">
                <time dateTime={r.at.toISOString()}>{formatDateTime(r.at)}</time>
              </td>
              <td className="px-3 py-2">{r.actorEmail ?? "—"}</td>
              <td className="px-3 py-2 font-mono">{r.orgId ?? "—"}</td>
              <td className="px-3 py-2 font-mono">{r.action}</td>
              <td className="px-3 py-2">
                {r.targetType ? (
                  <>
                    {r.targetType} <span className="font-mono">{r.targetId}</span>
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td className={`px-3 py-2 ${r.result === "success" ? "text-green-800" : "text-red-700"}`}>{r.result}</td>
              <td className="px-3 py-2 font-mono">{r.ip ?? "—"}</td>
              <td className="max-w-xs truncate px-3 py-2 text-slate-600" title={r.userAgent ?? undefined}>
                {r.userAgent ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
