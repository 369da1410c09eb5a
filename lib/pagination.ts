/**
 * Pages of long lists (Transactions, Audit) counted only up to a cap: counting every row of a
 * portfolio's million transactions cost ~150–200 ms a page; counting up to COUNT_CAP + 1 is an
 * index-only scan of at most that many entries. Beyond the cap the list says "more than" and
 * Next stays as long as rows follow (the page is fetched with one row of look-ahead).
 */
export const COUNT_CAP = 10_000;

export interface PageInfo {
  /** Rows counted (at most COUNT_CAP). */
  total: number;
  /** There are more than `total` rows. */
  more: boolean;
  page: number;
  /** Pages known to exist: with `more`, at least up to the next page when rows follow. */
  pageCount: number;
}

/**
 * The page numbers from a capped count (`counted`: a count limited to COUNT_CAP + 1 rows) and,
 * past the counted pages, whether the page fetched with look-ahead had a row after it.
 */
export function pageInfo(counted: number, page: number, perPage: number, hasNext: boolean): PageInfo {
  const more = counted > COUNT_CAP;
  const total = Math.min(counted, COUNT_CAP);
  const counting = Math.max(1, Math.ceil(total / perPage));
  const pageCount = more ? Math.max(counting, hasNext ? page + 1 : page) : counting;
  return { total, more, page, pageCount };
}

/** "1,234 transactions" or "more than 10,000 transactions" (`cap`: the count's cap). */
export function countLabel(
  info: Pick<PageInfo, "total" | "more">,
  one: string,
  many: string,
  cap = COUNT_CAP,
): string {
  if (info.more) return `more than ${cap.toLocaleString("en-US")} ${many}`;
  return `${info.total.toLocaleString("en-US")} ${info.total === 1 ? one : many}`;
}

/** A count taken with `take: cap + 1` as a label: "1 MID", "12,345 MIDs", "more than 100,000 MIDs". */
export function cappedCountLabel(counted: number, cap: number, one: string, many: string): string {
  return countLabel({ total: Math.min(counted, cap), more: counted > cap }, one, many, cap);
}
