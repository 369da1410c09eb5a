/** Names the real PostgreSQL server the integration tests create their databases on. */
export default function setup() {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (url) process.env.KEYCENTER_TEST_SERVER_URL = url;
  else console.log("No TEST_DATABASE_URL or DATABASE_URL: integration tests use in-memory embedded PGlite.");
}
