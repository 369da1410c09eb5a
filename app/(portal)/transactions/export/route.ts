import { guardRoute } from "@/lib/auth/route";
import { csvDownload } from "@/lib/csv";
import { exportTransactionsCsv } from "@/lib/gateway-transactions";
import { logger } from "@/lib/log";
import { parseTransactionFilters, transactionFiltersToParams } from "@/lib/transaction-filters";
import { queryParams } from "@/lib/validation";

/**
 * Export CSV of the Transactions list: the filters in the URL, for the org acted for and the
 * environment switched to (as the page), streamed in batches as an attachment.
 */
export async function GET(request: Request) {
  const guard = await guardRoute("transactions.view");
  if (!guard.ok) return guard.response;
  const { session } = guard;
  const { filters, errors } = parseTransactionFilters(queryParams(request.url));
  if (Object.keys(errors).length > 0) {
    return new Response(Object.values(errors).join(" "), { status: 400 });
  }
  const org = session.actingOrg;
  const day = new Date().toISOString().slice(0, 10);
  logger.info(
    { org: org.id, environment: session.environment, filters: transactionFiltersToParams(filters).toString() },
    "transactions export",
  );
  return csvDownload(
    exportTransactionsCsv({ scope: org, environment: session.environment, ...filters }),
    `transactions-${org.id}-${session.environment.toLowerCase()}-${day}.csv`,
    "transactions",
  );
}
