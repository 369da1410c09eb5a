import { csvLine } from "@/lib/csv";
import { ENVIRONMENT_LABEL } from "@/lib/format";
import type { Environment } from "@/lib/generated/prisma/enums";
import { searchAllKeys, type KeySearchFilters } from "@/lib/keys/search";
import { peopleOf } from "@/lib/keys/lifecycle";
import { keyStatus } from "@/lib/keys/status";
import { keyType } from "@/lib/keys/types";

export const KEY_CSV_COLUMNS = [
  "Key ID",
  "Name",
  "Key Type",
  "Merchant",
  "Environment",
  "Status",
  "Created",
  "Expires",
  "Deactivated",
  "Meta Key",
  "Created By",
  "Custodian",
  "Last Used",
] as const;

/**
 * The keys a search finds, every page of them, as CSV: the search's own filters and sort
 * order, read in batches with a cursor (so a million keys stream without OFFSET scans),
 * with who created each key and its custodian.
 */
export async function* exportKeysCsv({
  orgId,
  environment,
  filters,
  now = new Date(),
  batchSize = 2000,
}: {
  orgId: string;
  environment: Environment;
  filters: KeySearchFilters;
  now?: Date;
  batchSize?: number;
}): AsyncGenerator<string> {
  yield csvLine(KEY_CSV_COLUMNS);
  for await (const batch of searchAllKeys({ orgId, environment, filters, now, batchSize })) {
    const users = await peopleOf(batch);
    yield batch
      .map((k) =>
        csvLine([
          k.id,
          k.name,
          keyType(k.type).label,
          k.orgId,
          ENVIRONMENT_LABEL[k.environment],
          keyStatus(k, now),
          k.createdAt.toISOString(),
          k.expiresAt.toISOString(),
          k.deactivatedAt?.toISOString(),
          k.metaScope === "ALL" ? "All MIDs" : k.metaScope === "CUSTOM" ? "Custom MIDs" : "No",
          k.createdById ? (users.get(k.createdById) ?? k.createdById) : "",
          k.custodianId ? (users.get(k.custodianId) ?? k.custodianId) : "",
          k.lastUsedAt?.toISOString(),
        ]),
      )
      .join("");
  }
}
