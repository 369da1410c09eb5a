/**
 * A small horizontal/vertical bar chart people read at a glance, with the same numbers as
 * a table for screen readers (the picture itself is aria-hidden).
 */
export function BarChart({
  title,
  data,
  unit,
}: {
  title: string;
  data: { label: string; count: number }[];
  unit: string;
}) {
  const max = Math.max(1, ...data.map((d) => d.count));
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-sm font-medium text-slate-700">{title}</figcaption>
      <div aria-hidden className="flex h-40 items-end gap-1.5 border-b border-slate-200">
        {data.map((d) => (
          <div key={d.label} className="flex flex-1 flex-col items-center justify-end gap-1">
            <span className="text-[10px] text-slate-600">{d.count > 0 ? d.count : ""}</span>
            <div
              className="w-full rounded-t bg-brand-600"
              style={{ height: `${(d.count / max) * 120}px`, minHeight: d.count > 0 ? 3 : 0 }}
              title={`${d.label}: ${d.count}`}
            />
          </div>
        ))}
      </div>
      <div aria-hidden className="flex gap-1.5">
        {data.map((d) => (
          <span key={d.label} className="flex-1 truncate text-center text-[10px] text-slate-500">
            {d.label}
          </span>
        ))}
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.label}>
              <th scope="row">{d.label}</th>
              <td>{d.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
