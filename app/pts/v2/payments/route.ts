import { gatewayPaymentsHandler } from "@/lib/gateway/payments";
import { withGatewayHeaders } from "@/lib/http/security-headers";

/** The test environment's gateway: `POST /pts/v2/payments` (lib/gateway/payments.ts). */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return withGatewayHeaders(await gatewayPaymentsHandler(request, { environment: "TEST" }));
}
