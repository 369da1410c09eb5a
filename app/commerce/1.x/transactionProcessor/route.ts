import { simpleOrderHandler } from "@/lib/gateway/simple-order";

/**
 * The test environment's Simple Order API and SOAP Toolkit endpoint (G8), at Cybersource's
 * path: `POST /commerce/1.x/transactionProcessor` with a SOAP envelope (lib/gateway/simple-order.ts).
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return simpleOrderHandler(request, { environment: "TEST", now: new Date() });
}
