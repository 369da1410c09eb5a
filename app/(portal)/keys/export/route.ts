import { guardRoute } from "@/lib/auth/route";
import { csvDownload } from "@/lib/csv";
import { exportKeysCsv } from "@/lib/keys/export";
import { parseFilters, searchOrg } from "@/lib/keys/search";
import { logger } from "@/lib/log";
import { queryParams } from "@/lib/validation";

/** Export CSV of Key Management's Search Results: every page of the search in the URL. */
export async function GET(request: Request) {
  const guard = await guardRoute("keys.view");
  if (!guard.ok) return guard.response;
  const { session } = guard;
  const { filters, errors } = parseFilters(queryParams(request.url));
  const scope = await searchOrg(session, filters);
  if (scope.error) errors.merchant ??= scope.error;
  if (Object.keys(errors).length > 0) {
    return new Response(Object.values(errors).join(" "), { status: 400 });
  }
  const day = new Date().toISOString().slice(0, 10);
  logger.info({ org: scope.org.id, environment: session.environment }, "key export");
  return csvDownload(
    exportKeysCsv({ orgId: scope.org.id, environment: session.environment, filters }),
    `keys-${scope.org.id}-${session.environment.toLowerCase()}-${day}.csv`,
    "key",
  );
}
