import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db-admin/embedded";
import { migrate } from "@/lib/db-admin/migrate";

/** The server tests use: TEST_DATABASE_URL, else DATABASE_URL, else an embedded PGlite. */
export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.KEYCENTER_TEST_SERVER_URL || undefined;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a new database on the real server, or a new
 * in-memory PGlite when there is none. `migrated: false` leaves it without any table.
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const server = serverUrl();
  let db: TestDatabase;
  if (server) {
    const name = `kc_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    db = {
      url: withDatabase(server, name),
      async drop() {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  } else {
    const embedded = await startEmbeddedDatabase({});
    process.env.KEYCENTER_DB_POOL_SIZE = "1"; // see scripts/start.ts: one connection to PGlite
    process.env.KEYCENTER_EMBEDDED_DB = "1";
    db = { url: embedded.url, drop: () => embedded.stop() };
  }
  if (opts.migrated !== false) await migrate(db.url);
  return db;
}
