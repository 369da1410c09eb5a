import { apiDocsResponse } from "@/lib/kms/api-docs";

export const dynamic = "force-dynamic";

/**
 * The Key Management API's reference (Swagger UI on GET /kms/v2/openapi.json), public like the
 * document it renders: lib/kms/api-docs.ts. Its scripts carry the nonce proxy.ts gave this request.
 */
export function GET(request: Request) {
  return apiDocsResponse(request.headers);
}
