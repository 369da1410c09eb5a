import Link from "next/link";
import { Tooltip } from "@/components/ui/tooltip";
import { VisuallyHiddenTable } from "@/components/ui/visually-hidden-table";

export interface Bar {
  label: string;
  count: number;
  /** The Key Management search that lists these keys. */
  href: string;
}

/**
 * A small bar chart people read at a glance: columns (months) or rows (types, whose full names
 * need the width). Every bar is a link to the matching Key Management search, named in words
 * ("Dec 26: 3 keys expiring. Open in Key Management") with a tooltip; full labels, never cut.
 * All zero: the `empty` sentence instead of a flat chart. A table carries the same numbers.
 */
export function BarChart({
  title,
  data,
  unit,
  noun,
  empty,
  note,
  orientation = "columns",
}: {
  title: string;
  data: Bar[];
  /** The table's column header ("Keys expiring"). */
  unit: string;
  /** What a bar counts, singular and plural ("key expiring", "keys expiring"). */
  noun: [string, string];
  /** Which keys are counted, under the title. */
  note?: string;
  empty: string;
  orientation?: "columns" | "rows";
}) {
  const max = Math.max(1, ...data.map((d) => d.count));
  const counted = (d: Bar) => `${d.label}: ${d.count} ${d.count === 1 ? noun[0] : noun[1]}`;
  const rest = (d: Bar) => `: ${d.count} ${d.count === 1 ? noun[0] : noun[1]}. Open in Key Management`;
  if (data.every((d) => d.count === 0)) {
    return (
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-medium text-slate-700">{title}</figcaption>
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
          {empty}
        </p>
      </figure>
    );
  }
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-sm font-medium text-slate-700">
        {title}
        {note && <span className="block text-xs font-normal text-slate-600">{note}</span>}
      </figcaption>
      {orientation === "columns" ? (
        <ul aria-label={title} className="flex h-48 items-stretch gap-1.5 border-b border-slate-200">
          {data.map((d) => (
            <li key={d.label} className="flex min-w-0 flex-1 flex-col">
              <Tooltip content={counted(d)}>
                <Link
                  href={d.href}
                  className="group flex flex-1 flex-col items-center justify-end gap-1 rounded focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
                >
                  {/* The link's name is its content: the label, then the screen-reader-only rest
                      ("Jan 27: 3 keys expiring. Open in Key Management"); the visible count is in it. */}
                  <span aria-hidden className="text-[11px] text-slate-700">
                    {d.count > 0 ? d.count : ""}
                  </span>
                  <span
                    className="w-full rounded-t bg-brand-600 group-hover:bg-brand-700"
                    style={{ height: `${(d.count / max) * 120}px`, minHeight: d.count > 0 ? 3 : 0 }}
                  />
                  <span className="pt-1 text-center text-[11px] leading-tight break-words text-slate-700">
                    {d.label}
                  </span>
                  <span className="sr-only">{rest(d)}</span>
                </Link>
              </Tooltip>
            </li>
          ))}
        </ul>
      ) : (
        <ul aria-label={title} className="flex flex-col gap-1.5">
          {data.map((d) => (
            <li key={d.label}>
              <Tooltip content={counted(d)}>
                <Link
                  href={d.href}
                  className="group grid grid-cols-[11rem_1fr_2.5rem] items-center gap-2 rounded text-sm hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600"
                >
                  <span className="text-slate-700">{d.label}</span>
                  <span className="sr-only">{rest(d)}</span>
                  <span className="h-4 rounded bg-slate-100">
                    <span
                      className="block h-4 rounded bg-brand-600 group-hover:bg-brand-700"
                      style={{ width: `${(d.count / max) * 100}%`, minWidth: d.count > 0 ? 3 : 0 }}
                    />
                  </span>
                  <span aria-hidden className="text-right tabular-nums text-slate-700">
                    {d.count}
                  </span>
                </Link>
              </Tooltip>
            </li>
          ))}
        </ul>
      )}
      <VisuallyHiddenTable
        caption={title}
        headers={[orientation === "columns" ? "Period" : "Key Type", unit]}
        rows={data.map((d) => ({ header: d.label, cells: [d.count] }))}
      />
    </figure>
  );
}
