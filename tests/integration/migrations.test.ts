import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { listMigrations, migrate, MIGRATIONS_DIR } from "@/lib/db-admin/migrate";
import { createTestDatabase } from "../helpers/test-db";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** Tables, columns, indexes, constraints and enums of the public schema, as comparable text. */
async function catalog(url: string) {
  const columns = await query(
    url,
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`,
  );
  const indexes = await query(
    url,
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
  );
  const constraints = await query(
    url,
    `SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> '_prisma_migrations'
      ORDER BY 1, 2`,
  );
  const enums = await query(
    url,
    `SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      ORDER BY t.typname, e.enumsortorder`,
  );
  return { columns, indexes, constraints, enums };
}

describe("migrations", () => {
  it("applies every migration once; a second run applies nothing", async () => {
    const url = process.env.DATABASE_URL!; // migrated by the setup file
    expect(await migrate(url)).toEqual([]);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const files = await listMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    // Prisma's own checksum: SHA-256 of the file, so `prisma migrate deploy` agrees.
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => createHash("sha256").update(f.sql).digest("hex")));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("rolls back a failing migration and records nothing for it", async () => {
    const db = await createTestDatabase({ migrated: false });
    try {
      const dir = await mkdtemp(path.join(tmpdir(), "kc-migrations-"));
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await mkdir(path.join(dir, "29991231000000_broken"));
      await writeFile(
        path.join(dir, "29991231000000_broken", "migration.sql"),
        `CREATE TABLE "half_done" (id int); SELECT no_such_function();`,
      );
      await expect(migrate(db.url, { dir })).rejects.toThrow(/29991231000000_broken failed/);
      const tables = await query(db.url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
      expect(tables).toHaveLength(0);
      const names = await query<{ migration_name: string }>(db.url, `SELECT migration_name FROM "_prisma_migrations"`);
      expect(names.map((n) => n.migration_name)).not.toContain("29991231000000_broken");
      expect(await migrate(db.url)).toEqual([]); // the good ones stayed applied
    } finally {
      await db.drop();
    }
  });

  it("matches prisma/schema.prisma: the migrations build the same database as the schema does", async () => {
    // Prisma's own diff of the schema from nothing (scripts/migration-sql.ts, offline).
    const fromSchema = await createTestDatabase({ migrated: false });
    // Async: in embedded mode this process serves the database the tool connects to.
    const { stdout: schemaSql } = await promisify(execFile)(
      "npx",
      ["tsx", path.join("scripts", "migration-sql.ts"), "--from-empty"],
      { env: { ...process.env, DATABASE_URL: fromSchema.url }, encoding: "utf8" },
    );
    try {
      expect(schemaSql).toMatch(/CREATE TABLE "keys"/);
      const c = new pg.Client({ connectionString: fromSchema.url });
      await c.connect();
      // Extensions are installed by migrations (Prisma's schema does not declare them).
      await c.query("CREATE EXTENSION IF NOT EXISTS pg_trgm");
      await c.query(schemaSql);
      await c.end();
      const expected = await catalog(fromSchema.url);
      const actual = await catalog(process.env.DATABASE_URL!);
      expect(actual.columns).toEqual(expected.columns);
      expect(actual.indexes).toEqual(expected.indexes);
      expect(actual.constraints).toEqual(expected.constraints);
      expect(actual.enums).toEqual(expected.enums);
    } finally {
      await fromSchema.drop();
    }
  }, 240_000);
});
