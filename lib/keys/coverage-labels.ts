/** Counts of the coverage tree in words (no database: the client tree uses them too). */

/** "1 MID", "1,204 MIDs". */
export function midCount(n: number): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? "MID" : "MIDs"}`;
}

/** "1,204 MIDs, 1,204 covered". */
export function coverageLabel(total: number, covered: number): string {
  return `${midCount(total)}, ${covered.toLocaleString("en-US")} covered`;
}
