/**
 * A table only screen readers meet (`sr-only`): the numbers of a chart, one row per item, its
 * first cell the row's header. Charts show the same numbers in pictures.
 */
export function VisuallyHiddenTable({
  caption,
  headers,
  rows,
}: {
  /** The table's accessible name (e.g. the chart's title). */
  caption: string;
  /** The column headers: the rows' header column first. */
  headers: string[];
  /** Each row: its header (unique, also the React key), then its cells. */
  rows: { header: string; cells: React.ReactNode[] }[];
}) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.header}>
            <th scope="row">{r.header}</th>
            {r.cells.map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
