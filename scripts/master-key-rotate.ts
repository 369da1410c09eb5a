/**
 * `npm run master-key:rotate [-- --check] [--batch-size <n>]`
 *
 * Re-seals every sealed value of DATABASE_URL's database (key secrets, CA private keys, TOTP
 * secrets, webhook secrets) under the current master key, while KeyCenter runs. Set as the app
 * is deployed for the rotation: KEYCENTER_MASTER_KEY (the new key), KEYCENTER_MASTER_KEY_VERSION
 * (its number) and KEYCENTER_MASTER_KEYS_PREVIOUS ("1:<base64>,…", the keys values are still
 * sealed under). Resumable and idempotent (lib/crypto/rotation.ts); audited. `--check` only
 * counts what is left under older keys. Exit code: 0 when nothing is left, 1 when some is,
 * 2 when it refuses to start. Prints names and counts only, never a secret.
 */
import { existsSync } from "node:fs";
import { countOlder, rotateMasterKey } from "@/lib/crypto/rotation";
import { previousKeyVersions } from "@/lib/crypto/secrets";
import { scriptOptions } from "./cli";
import { scriptClient } from "./db";

const USAGE = "Usage: npm run master-key:rotate [-- --check] [--batch-size <n>]";

function leftLine(left: number): string {
  return left === 0
    ? "0 values left under older master keys: KEYCENTER_MASTER_KEYS_PREVIOUS can be dropped."
    : `${left} value(s) left under older master keys: keep KEYCENTER_MASTER_KEYS_PREVIOUS and run it again.`;
}

async function main(): Promise<number> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const values = scriptOptions(
    {
    check: { type: "boolean" },
    "batch-size": { type: "string" },
    },
    USAGE,
  );
  if (typeof values === "number") return values;
  const batchSize = Number(values["batch-size"] ?? 200);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    console.error(`--batch-size must be a positive whole number.\n${USAGE}`);
    return 2;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set: the rotation works on the database KeyCenter runs on.");
    return 2;
  }
  if (!process.env.KEYCENTER_MASTER_KEY || !process.env.KEYCENTER_MASTER_KEY_VERSION) {
    console.error(
      "Set KEYCENTER_MASTER_KEY to the new master key and KEYCENTER_MASTER_KEY_VERSION to its number " +
        "(the previous version + 1), and the older keys in KEYCENTER_MASTER_KEYS_PREVIOUS, as KeyCenter is deployed for the rotation.",
    );
    return 2;
  }
  const db = scriptClient(url);
  try {
    const before = await countOlder(db);
    console.log(`Current master key: version ${before.version}.`);
    for (const s of before.sources) {
      const versions = Object.entries(s.byVersion).map(([v, n]) => `${n} under version ${v}`);
      console.log(`  ${s.name} (${s.table}): ${versions.length ? versions.join(", ") : "none under older keys"}`);
    }
    if (values.check) {
      console.log(leftLine(before.left));
      return before.left === 0 ? 0 : 1;
    }
    const known = new Set(previousKeyVersions());
    const missing = [...new Set(before.sources.flatMap((s) => Object.keys(s.byVersion).map(Number)))].filter(
      (v) => !known.has(v),
    );
    if (missing.length > 0) {
      console.error(
        `Values are sealed under master key version(s) ${missing.join(", ")}, which KEYCENTER_MASTER_KEYS_PREVIOUS ` +
          `has no key for ("<version>:<base64 key>", comma-separated). Nothing was changed.`,
      );
      return 2;
    }
    const result = await rotateMasterKey({
      db,
      batchSize,
      actor: { userAgent: "npm run master-key:rotate" },
      onProgress: (p) => console.log(`  ${p.table}: ${p.resealed} re-sealed`),
    });
    for (const s of result.sources) {
      const meanwhile = s.changedMeanwhile ? `, ${s.changedMeanwhile} changed by the app meanwhile` : "";
      console.log(`  ${s.name} (${s.table}): ${s.resealed} re-sealed${meanwhile}, ${s.left} left`);
    }
    console.log(`${result.resealed} value(s) re-sealed under version ${result.version} in ${result.ms} ms.`);
    console.log(leftLine(result.left));
    return result.left === 0 ? 0 : 1;
  } catch (e) {
    console.error(`The rotation stopped: ${e instanceof Error ? e.message : e}. Run it again to resume.`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

process.exit(await main());
