import { webHandler } from "@/lib/gateway/pipeline";
import { SIMPLE_ORDER } from "@/lib/gateway/simple-order";

/**
 * The test environment's Simple Order API and SOAP Toolkit endpoint (G8), at Cybersource's
 * path: `POST /commerce/1.x/transactionProcessor` with a SOAP envelope (lib/gateway/simple-order.ts).
 * The served app answers it before Next.js (lib/http/server.ts); this route runs the same
 * pipeline (lib/gateway/pipeline.ts) when Next.js gets the request.
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = webHandler(SIMPLE_ORDER);
