import { instanceInfo } from "@/lib/info";

export const dynamic = "force-dynamic";

/**
 * What this instance is: version, mode and the switches a user can see the effect of (local
 * webhooks, the alert runner, SMTP). Public like /api/health, and like it says nothing secret;
 * QA's flows read it to expect the behaviour of the server they run against.
 */
export function GET() {
  return Response.json(instanceInfo(), { headers: { "cache-control": "no-store" } });
}
