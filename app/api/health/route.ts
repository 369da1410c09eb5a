import { databaseReachable } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Liveness and database status; public, says nothing secret. */
export async function GET() {
  const started = performance.now();
  const database = (await databaseReachable()) ? "ok" : "unavailable";
  const body = {
    status: database === "ok" ? "ok" : "degraded",
    app: "ok",
    database,
    latencyMs: Math.round(performance.now() - started),
  };
  return Response.json(body, { status: database === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
