import { webHandler } from "@/lib/gateway/pipeline";
import { SECURE_ACCEPTANCE } from "@/lib/gateway/secure-acceptance";

/**
 * Secure Acceptance hosted checkout (G7): `POST /pay` (lib/gateway/secure-acceptance.ts),
 * answered with an HTML receipt or error page. The served app answers it before Next.js
 * (lib/http/server.ts); this route runs the same pipeline (lib/gateway/pipeline.ts) when
 * Next.js gets the request.
 */
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = webHandler(SECURE_ACCEPTANCE);
