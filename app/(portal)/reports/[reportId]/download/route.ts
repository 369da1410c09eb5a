import { AppError } from "@/lib/errors";
import { guardRoute } from "@/lib/auth/route";
import { AuthorizationError, requirePermission } from "@/lib/auth/session";
import { logger } from "@/lib/log";
import { downloadReport, findReport } from "@/lib/reports";
import { pathId } from "@/lib/validation";

/**
 * Report Download (G9): the report encrypted to the org's active PGP key, as an attachment
 * `<name>.pgp`. Needs Report Download and the right to act for the report's org.
 */
export async function GET(_request: Request, context?: { params: Promise<{ reportId?: string }> }) {
  const guard = await guardRoute("reports.download");
  if (!guard.ok) return guard.response;
  const { session } = guard;
  // An ID no report can have (unsupported characters, too long) is answered like a missing one.
  const reportId = pathId((await context?.params)?.reportId);
  const report = reportId ? await findReport(reportId, session.environment) : null;
  // Another org's report is answered like a missing one: its existence is not revealed.
  if (!report) return text("This report does not exist.", 404);
  try {
    requirePermission(session, "reports.download", { org: report.org });
  } catch (e) {
    if (e instanceof AuthorizationError) return text("This report does not exist.", 404);
    throw e;
  }
  try {
    const file = await downloadReport({
      report,
      environment: session.environment,
      actor: { actorId: session.user.id, actorEmail: session.user.email, ip: session.ip, userAgent: session.userAgent },
    });
    logger.info({ report: report.id, org: report.orgId, pgpKey: file.keyId }, "report download");
    return new Response(file.armored, {
      headers: {
        "content-type": "application/pgp-encrypted",
        "content-disposition": `attachment; filename="${file.filename.replace(/["\\\r\n]/g, "_")}"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    if (e instanceof AppError) return text(e.userMessage, 409);
    throw e;
  }
}

function text(message: string, status: number) {
  return new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}
