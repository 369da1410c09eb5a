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
  // An environment credential, or else a key's sealed secret (sealed with the key ID as context).
  const cred = await db.environmentCredential.findFirst({
    select: { environment: true, kind: true, privateKeyCiphertext: true },
    orderBy: { createdAt: "asc" },
  });
  const key = cred
    ? null
    : await db.key.findFirst({
        where: { secretCiphertext: { not: null } },
        select: { id: true, secretCiphertext: true },
        orderBy: { createdAt: "asc" },
      });
  const sample = cred
    ? {
        blob: cred.privateKeyCiphertext,
        // environment.ts's credentialSealContext (not imported: it loads lib/db.ts, the app's pool).
        context: `env-credential:${cred.environment}:${cred.kind}`,
        what: `the ${cred.environment} ${cred.kind} credential`,
      }
    : key?.secretCiphertext
      ? { blob: key.secretCiphertext, context: key.id, what: `the secret of key ${key.id}` }
      : null;
  if (!sample) return { ok: true };
  try {
    openSecret(sample.blob, sample.context);
    return { ok: true };
  } catch {
    const version = sealedVersion(sample.blob);
    return {
      ok: false,
      message:
        `KEYCENTER_MASTER_KEY does not open this database's sealed values (${sample.what}, sealed under ` +
        `master key version ${version}). Start KeyCenter with the master key this database was sealed under ` +
        "(a restored backup needs the key of the installation it came from; during a rotation keep the old " +
        "key in KEYCENTER_MASTER_KEYS_PREVIOUS). Nothing was decrypted or changed.",
    };
  }
}
