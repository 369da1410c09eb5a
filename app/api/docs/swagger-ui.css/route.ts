import { swaggerUiAsset } from "@/lib/kms/api-docs";

export const dynamic = "force-dynamic";

/** Swagger UI's style sheet for /api/docs, from this origin (lib/kms/api-docs.ts). */
export function GET() {
  return swaggerUiAsset("swagger-ui.css");
}
