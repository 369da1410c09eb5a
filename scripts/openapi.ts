/**
 * Writes the Key Management API's OpenAPI document (lib/kms/openapi.ts, for every route of
 * lib/kms/http.ts) to docs/kms-openapi.json:
 *   npm run openapi
 * tests/unit/openapi.test.ts fails while the committed file differs from what this writes.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { kmsOpenApi } from "@/lib/kms/http";
import { OPENAPI_FILE, openApiText } from "@/lib/kms/openapi";

const file = path.join(process.cwd(), OPENAPI_FILE);
const doc = await kmsOpenApi();
writeFileSync(file, openApiText(doc));
console.log(`Wrote ${OPENAPI_FILE}: ${Object.keys(doc.paths ?? {}).length} paths`);
// The router's modules open nothing at import, but a pool or timer must not keep this alive.
process.exit(0);
