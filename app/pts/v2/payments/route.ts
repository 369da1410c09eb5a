import { PAYMENTS } from "@/lib/gateway/payments";
import { webHandler } from "@/lib/gateway/pipeline";

/**
 * The test environment's gateway: `POST /pts/v2/payments` (lib/gateway/payments.ts). The
 * served app (`npm start`) answers it before Next.js (lib/http/server.ts); this route runs the
 * same pipeline (lib/gateway/pipeline.ts) when Next.js gets the request.
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = webHandler(PAYMENTS);
