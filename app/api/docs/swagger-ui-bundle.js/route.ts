import { swaggerUiAsset } from "@/lib/kms/api-docs";

export const dynamic = "force-dynamic";

/** Swagger UI's script for /api/docs, from this origin (lib/kms/api-docs.ts). */
export function GET() {
  return swaggerUiAsset("swagger-ui-bundle.js");
}
