import { migrate } from "@/lib/db-admin/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. `npm start` migrates the embedded database by itself.");
  process.exit(2);
}
const applied = await migrate(url, { log: console.log });
console.log(applied.length ? `${applied.length} migration(s) applied.` : "Database is up to date.");
