import { formatDate } from "@/lib/format";
import type { KeyPageRow } from "@/lib/keys/search";
import { keyStatus } from "@/lib/keys/status";
import { keyType } from "@/lib/keys/types";
import { ResultsDataTable, type ResultRow } from "./results-data-table";
import { StatusBadge } from "./status-badge";

export { StatusBadge };

/**
 * Search Results: one row per key of the page the server fetched; the key ID links to Key
 * Information, Created and Expires sort the search (the URL's `sort`), the Edit Key column's
 * pencil opens Edit Key for a meta key (and, with `canConvert`, for a key that can become one).
 * Labels and dates are worked out here on the server: the browser gets plain rows.
 */
export function KeyResultsTable({
  rows,
  canDelete,
  canRegenerate = false,
  canConvert = false,
  now,
}: {
  rows: KeyPageRow[];
  canDelete: boolean;
  /** May edit and regenerate meta keys of the org searched (Manage meta keys and Create keys). */
  canRegenerate?: boolean;
  /** With `canRegenerate`: the org searched is a portfolio or merchant account, so its REST,
   * Simple Order and SOAP keys can be converted into meta keys on Edit Key. */
  canConvert?: boolean;
  now: Date;
}) {
  const shown: ResultRow[] = rows.map((k) => {
    const spec = keyType(k.type);
    return {
      id: k.id,
      name: k.name,
      type: spec.searchLabel,
      orgId: k.orgId,
      status: keyStatus(k, now),
      created: formatDate(k.createdAt),
      expires: formatDate(k.expiresAt),
      meta: k.metaScope === "ALL" ? "all" : k.metaScope ? "custom" : null,
      // Regenerate meta key: the window needs the type and scope; the count of MIDs is left to
      // Key Information (no count per row: Search Results stays one indexed query).
      regenerate:
        canRegenerate && k.metaScope && !k.deletedAt
          ? {
              done: k.regenerated,
              keyId: k.id,
              typeLabel: spec.label,
              instant: spec.createForm === "instant",
              scope: k.metaScope,
              expires: formatDate(k.expiresAt),
            }
          : undefined,
      editable: canRegenerate && (k.metaScope !== null || (canConvert && spec.metaCapable)),
    };
  });
  return <ResultsDataTable rows={shown} canDelete={canDelete} canRegenerate={canRegenerate} />;
}
