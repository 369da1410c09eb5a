import { migrate } from "@/lib/db-admin/migrate";
import { seedDemo } from "@/prisma/seed";
import { scriptClient } from "./db";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. `npm start` seeds the embedded database on first start.");
  process.exit(2);
}
await migrate(url, { log: console.log });
const db = scriptClient(url);
const seeded = await seedDemo(db);
console.log(seeded ? "Demo data seeded." : "The database already has organizations; nothing seeded.");
await db.$disconnect();
