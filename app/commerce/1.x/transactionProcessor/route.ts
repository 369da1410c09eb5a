import { simpleOrderHandler } from "@/lib/gateway/simple-order";
import { withGatewayHeaders } from "@/lib/http/security-headers";

/**
 * The test environment's Simple Order API and SOAP Toolkit endpoint (G8), at Cybersource's
 * path: `POST /commerce/1.x/transactionProcessor` with a SOAP envelope (lib/gateway/simple-order.ts).
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return withGatewayHeaders(await simpleOrderHandler(request, { environment: "TEST", now: new Date() }));
}
