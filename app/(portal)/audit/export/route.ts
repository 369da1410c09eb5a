import { auditFiltersToParams, exportAuditCsv, parseAuditFilters } from "@/lib/audit-log";
import { AuthorizationError, getPortalSession, requirePermission } from "@/lib/auth/session";
import { logger } from "@/lib/log";

/** Export CSV: the Audit page's filters, streamed in batches as an attachment. */
export async function GET(request: Request) {
  const session = await getPortalSession();
  try {
    requirePermission(session, "audit.export");
  } catch (e) {
    if (e instanceof AuthorizationError) {
      return new Response(e.message, { status: e.code === "UNAUTHENTICATED" ? 401 : 403 });
    }
    throw e;
  }
  const { filters, errors } = parseAuditFilters(Object.fromEntries(new URL(request.url).searchParams));
  if (Object.keys(errors).length > 0) {
    return new Response(Object.values(errors).join(" "), { status: 400 });
  }
  const chunks = exportAuditCsv({ scope: session.actingOrg, filters });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (e) {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, "audit export failed");
        controller.error(e);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  logger.info({ org: session.actingOrg.id, filters: auditFiltersToParams(filters).toString() }, "audit export");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${session.actingOrg.id}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
