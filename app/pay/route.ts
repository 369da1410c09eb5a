import { checkoutRoute } from "@/lib/http/gateway-routes";

/**
 * Secure Acceptance hosted checkout (G7): `POST /pay` (lib/http/gateway-routes.ts). The
 * served app answers it before Next.js (lib/http/server.ts); this route serves the same
 * handler when Next.js gets the request.
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = checkoutRoute;
