import { prisma } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Liveness and database status; public, says nothing secret. */
export async function GET() {
  const started = performance.now();
  let database: "ok" | "unavailable" = "ok";
  try {
    await prisma.$queryRaw`SELECT 1`;
  } catch {
    database = "unavailable";
  }
  const body = {
    status: database === "ok" ? "ok" : "degraded",
    app: "ok",
    database,
    latencyMs: Math.round(performance.now() - started),
  };
  return Response.json(body, { status: database === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
