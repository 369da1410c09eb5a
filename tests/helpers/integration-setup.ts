import { afterAll } from "vitest";
import { createTestDatabase } from "./test-db";

// Runs before each integration test file: a fresh migrated database, set as DATABASE_URL
// before the file imports lib/db.ts, and dropped after the file.
process.env.KEYCENTER_LOG ??= "silent";
process.env.BETTER_AUTH_SECRET ??= "test-secret-of-enough-length-for-better-auth-0123456789";
process.env.KEYCENTER_MASTER_KEY ??= Buffer.alloc(32, 7).toString("base64");
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

afterAll(async () => {
  const { prisma } = await import("@/lib/db");
  await prisma.$disconnect();
  await database.drop();
});
