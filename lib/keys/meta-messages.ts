import { midCount } from "./coverage-labels";

type Scope = "ALL" | "CUSTOM" | null;

/**
 * What Edit Key says after Submit, in plain words: "merchant12379 removed", "Now assigned to
 * all current and future MIDs", "Converted to a meta key", with "1 MID" / "3 MIDs".
 * `removedMids`/`addedMids` are the IDs the user picked (a single one is named).
 */
export function metaEditMessage(input: {
  before: Scope;
  after: Scope;
  added: number;
  removed: number;
  addedMids?: string[];
  removedMids?: string[];
}): string {
  const { before, after, added, removed } = input;
  const named = (n: number, mids: string[] | undefined, verb: string) =>
    n === 1 && mids?.length === 1 ? `${mids[0]} ${verb}` : `${midCount(n)} ${verb}`;

  if (after === null) {
    if (before === null) return "No changes: this is not a meta key.";
    return removed > 0
      ? `No longer a meta key: removed from ${midCount(removed)}.`
      : "No longer a meta key: it is a regular key of this organization.";
  }
  if (after === "ALL") {
    const now = "Now assigned to all current and future MIDs.";
    if (before === null) return `Converted to a meta key. ${now}`;
    if (before === "ALL") return "No changes: already assigned to all current and future MIDs.";
    return now;
  }
  const parts: string[] = [];
  if (added > 0) parts.push(named(added, input.addedMids, "added"));
  if (removed > 0) parts.push(named(removed, input.removedMids, "removed"));
  // A MID ID starts the sentence as it is written (merchant12379); counts start with a digit.
  const text = parts.length ? `${parts.join(", ")}.` : "";
  if (before === null) return `Converted to a meta key for a custom MID selection. ${text}`.trim();
  if (before === "ALL") return `Now assigned to a custom MID selection only. ${text}`.trim();
  return text || "No changes.";
}
