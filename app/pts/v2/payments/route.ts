import { gatewayPaymentsHandler } from "@/lib/gateway/payments";

/** The test environment's gateway: `POST /pts/v2/payments` (lib/gateway/payments.ts). */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return gatewayPaymentsHandler(request, { environment: "TEST" });
}
