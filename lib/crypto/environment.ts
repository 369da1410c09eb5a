import { prisma, type Db } from "@/lib/db";
import type { CredentialKind, Environment } from "@/lib/generated/prisma/enums";
import { currentKeyVersion, openSecret, sealSecret } from "@/lib/crypto/secrets";
import { chainPem, createGatewayMleIdentity, createIssuingCa, createRootCa } from "@/lib/crypto/ca";
import type { CertifiedKey } from "@/lib/crypto/certificates";

/**
 * Each environment's CA chain and gateway request-MLE identity, created on first use and
 * kept in `environment_credentials` with the private keys sealed under the master key.
 * First creation is serialized by a transaction-scoped advisory lock per environment (and
 * the (environment, kind) unique constraint), so concurrent first callers, in this process
 * or another, end with one CA.
 */
export interface EnvironmentCredentials {
  environment: Environment;
  rootCa: CertifiedKey;
  issuingCa: CertifiedKey;
  gatewayMle: CertifiedKey;
}

const LOCK_KEY: Record<Environment, number> = { TEST: 727101, PRODUCTION: 727102 };

export function credentialSealContext(environment: Environment, kind: CredentialKind): string {
  return `env-credential:${environment}:${kind}`;
}

type Row = { kind: CredentialKind; certificatePem: string; privateKeyCiphertext: Uint8Array };

function open(environment: Environment, row: Row): CertifiedKey {
  return {
    certificatePem: row.certificatePem,
    privateKeyPem: openSecret(row.privateKeyCiphertext, credentialSealContext(environment, row.kind)).toString("utf8"),
  };
}

function complete(environment: Environment, rows: Row[]): EnvironmentCredentials | null {
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  const root = byKind.get("ROOT_CA");
  const issuing = byKind.get("ISSUING_CA");
  const mle = byKind.get("GATEWAY_MLE");
  if (!root || !issuing || !mle) return null;
  return {
    environment,
    rootCa: open(environment, root),
    issuingCa: open(environment, issuing),
    gatewayMle: open(environment, mle),
  };
}

/** Reads the environment's credentials, creating whatever is missing. Not cached. */
export async function loadOrCreateEnvironmentCredentials(
  environment: Environment,
  db: Db = prisma,
): Promise<EnvironmentCredentials> {
  const found = complete(environment, await db.environmentCredential.findMany({ where: { environment } }));
  if (found) return found;
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY[environment]}::bigint)`;
      const rows = await tx.environmentCredential.findMany({ where: { environment } });
      const again = complete(environment, rows);
      if (again) return again;
      // Create what is missing; anything signed by a newly created credential is renewed too.
      const byKind = new Map(rows.map((r) => [r.kind, r]));
      const store = async (kind: CredentialKind, c: CertifiedKey) => {
        const data = {
          certificatePem: c.certificatePem,
          privateKeyCiphertext: new Uint8Array(sealSecret(c.privateKeyPem, credentialSealContext(environment, kind))),
          keyVersion: currentKeyVersion(),
        };
        await tx.environmentCredential.upsert({
          where: { environment_kind: { environment, kind } },
          create: { environment, kind, ...data },
          update: data,
        });
      };
      const rootRow = byKind.get("ROOT_CA");
      const rootCa = rootRow ? open(environment, rootRow) : await createRootCa({ environment });
      if (!rootRow) await store("ROOT_CA", rootCa);
      const issuingRow = rootRow ? byKind.get("ISSUING_CA") : undefined;
      const issuingCa = issuingRow
        ? open(environment, issuingRow)
        : await createIssuingCa({ environment, root: rootCa });
      if (!issuingRow) await store("ISSUING_CA", issuingCa);
      const mleRow = issuingRow ? byKind.get("GATEWAY_MLE") : undefined;
      const gatewayMle = mleRow
        ? open(environment, mleRow)
        : await createGatewayMleIdentity({ environment, issuer: issuingCa });
      if (!mleRow) await store("GATEWAY_MLE", gatewayMle);
      return { environment, rootCa, issuingCa, gatewayMle };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

const cache = new Map<Environment, Promise<EnvironmentCredentials>>();

/** The environment's credentials, read (or created) once per process. */
export function environmentCredentials(environment: Environment): Promise<EnvironmentCredentials> {
  let entry = cache.get(environment);
  if (!entry) {
    entry = loadOrCreateEnvironmentCredentials(environment);
    entry.catch(() => cache.delete(environment));
    cache.set(environment, entry);
  }
  return entry;
}

/** The CA chain for download and `openssl verify -CAfile`: issuing CA, then root CA. */
export async function caChainPem(environment: Environment): Promise<string> {
  return chainPem(await environmentCredentials(environment));
}

/** The gateway's request-MLE certificate (CN=CyberSource_SJC_US) for download. */
export async function gatewayMleCertificatePem(environment: Environment): Promise<string> {
  return (await environmentCredentials(environment)).gatewayMle.certificatePem;
}
