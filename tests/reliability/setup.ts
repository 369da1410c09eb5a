/**
 * Before each reliability test file: a fresh migrated database on the run's throwaway cluster
 * (never the machine's main one), as DATABASE_URL before the file imports lib/db.ts, and the
 * secrets the served apps get. Files run one at a time (they stop and start the cluster).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { migrate } from "@/lib/db-admin/migrate";
import { clusterUrl } from "./cluster";

const cluster = inject("cluster");
process.env.KEYCENTER_LOG ??= "silent";
process.env.BETTER_AUTH_SECRET ??= "reliability-secret-of-enough-length-for-better-auth-0123456789";
process.env.KEYCENTER_MASTER_KEY ??= Buffer.alloc(32, 9).toString("base64");
// Other tests' server URLs must not leak in: everything here is on the throwaway cluster.
delete process.env.TEST_DATABASE_URL;
delete process.env.KEYCENTER_TEST_SERVER_URL;

const name = `kc_rel_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: clusterUrl(cluster) });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
await admin.end();
process.env.DATABASE_URL = clusterUrl(cluster, name);
await migrate(process.env.DATABASE_URL);

afterAll(async () => {
  const { prisma } = await import("@/lib/db");
  await prisma.$disconnect().catch(() => undefined);
});
