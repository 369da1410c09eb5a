import type { PrismaClient } from "@/lib/generated/prisma/client";
import { openSecret, sealedVersion } from "./secrets";

/**
 * The start-up check of KEYCENTER_MASTER_KEY (scripts/start.ts): one sealed value of the
 * database — an environment credential, which every installation that has served a request
 * has — is opened with the configured key(s). A database restored with a different master key
 * is refused before the server starts: nothing is decrypted with the wrong key, nothing is
 * created or re-sealed over the values it cannot open. An empty database passes.
 */
export async function checkMasterKey(db: PrismaClient): Promise<{ ok: true } | { ok: false; message: string }> {
  const row = await db.environmentCredential.findFirst({
    select: { environment: true, kind: true, privateKeyCiphertext: true },
    orderBy: { createdAt: "asc" },
  });
  if (!row) return { ok: true };
  try {
    // environment.ts's credentialSealContext (not imported: it loads lib/db.ts, the app's pool).
    openSecret(row.privateKeyCiphertext, `env-credential:${row.environment}:${row.kind}`);
    return { ok: true };
  } catch {
    const version = sealedVersion(row.privateKeyCiphertext);
    return {
      ok: false,
      message:
        `KEYCENTER_MASTER_KEY does not open this database's sealed values (the ${row.environment} ` +
        `${row.kind} credential, sealed under master key version ${version}). Start KeyCenter with the ` +
        "master key this database was sealed under (a restored backup needs the key of the installation it " +
        "came from; during a rotation keep the old key in KEYCENTER_MASTER_KEYS_PREVIOUS). Nothing was " +
        "decrypted or changed.",
    };
  }
}
