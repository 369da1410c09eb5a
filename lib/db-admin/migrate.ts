import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { Umzug, type UmzugStorage } from "umzug";

/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, each in its own
 * transaction, and records them in Prisma's own `_prisma_migrations` table (same columns,
 * same SHA-256 checksum), so `prisma migrate deploy` stays usable where its engine exists.
 */
export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

class PrismaMigrationsStorage implements UmzugStorage {
  constructor(private client: pg.Client) {}
  async executed(): Promise<string[]> {
    const r = await this.client.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    return r.rows.map((row) => row.migration_name);
  }
  // Recorded inside the migration's own transaction (see `up` below).
  async logMigration(): Promise<void> {}
  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.client.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [name]);
  }
}

export async function listMigrations(dir = MIGRATIONS_DIR) {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && /^\d{14}_\w+$/.test(d.name))
    .map((d) => d.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(path.join(dir, name, "migration.sql"), "utf8") })),
  );
}

export async function migrate(
  connectionString: string,
  opts: { log?: (msg: string) => void; dir?: string } = {},
): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // One migrator at a time, whoever starts first (two app instances, parallel tests).
    await client.query("SELECT pg_advisory_lock(727001)");
    await client.query(CREATE_TABLE);
    const migrations = await listMigrations(opts.dir);
    const umzug = new Umzug({
      storage: new PrismaMigrationsStorage(client),
      logger: undefined,
      migrations: migrations.map(({ name, sql }) => ({
        name,
        up: async () => {
          const checksum = createHash("sha256").update(sql).digest("hex");
          await client.query("BEGIN");
          try {
            await client.query(sql);
            await client.query(
              `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
               VALUES ($1, $2, $3, now(), 1)`,
              [randomUUID(), checksum, name],
            );
            await client.query("COMMIT");
          } catch (e) {
            await client.query("ROLLBACK");
            throw new Error(`Migration ${name} failed: ${(e as Error).message}`);
          }
          opts.log?.(`applied migration ${name}`);
        },
      })),
    });
    const applied = await umzug.up();
    return applied.map((m) => m.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock(727001)").catch(() => {});
    await client.end();
  }
}
