import { paymentsRoute } from "@/lib/http/gateway-routes";

/**
 * The test environment's gateway: `POST /pts/v2/payments` (lib/gateway/payments.ts). The
 * served app (`npm start`) answers it before Next.js (lib/http/server.ts); this route serves
 * the same handler when Next.js gets the request.
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = paymentsRoute;
