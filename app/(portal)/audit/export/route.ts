import { auditFiltersToParams, exportAuditCsv, parseAuditFilters } from "@/lib/audit-log";
import { guardRoute } from "@/lib/auth/route";
import { csvDownload } from "@/lib/csv";
import { logger } from "@/lib/log";
import { queryParams } from "@/lib/validation";

/** Export CSV: the Audit page's filters, streamed in batches as an attachment. */
export async function GET(request: Request) {
  const guard = await guardRoute("audit.export");
  if (!guard.ok) return guard.response;
  const { session } = guard;
  const { filters, errors } = parseAuditFilters(queryParams(request.url));
  if (Object.keys(errors).length > 0) {
    return new Response(Object.values(errors).join(" "), { status: 400 });
  }
  const day = new Date().toISOString().slice(0, 10);
  logger.info({ org: session.actingOrg.id, filters: auditFiltersToParams(filters).toString() }, "audit export");
  return csvDownload(
    exportAuditCsv({ scope: session.actingOrg, filters }),
    `audit-${session.actingOrg.id}-${day}.csv`,
    "audit",
  );
}
