import { defineConfig } from "prisma/config";

// `prisma generate` needs no database. Migrations are applied by lib/db/migrate.ts
// (see README: "Writing a migration").
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx scripts/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/keycenter" },
});
