/**
 * The database of the server Playwright started (scripts/e2e-server.ts: `keycenter_e2e_<port>` on
 * the DATABASE_URL server), for the few flows that must set up what no page can (an aged session).
 */
import pg from "pg";

/** Its URL, or null when the server runs embedded or elsewhere (PLAYWRIGHT_BASE_URL): such flows skip. */
export function e2eDatabaseUrl(): string | null {
  const server = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!server || process.env.PLAYWRIGHT_BASE_URL) return null;
  const u = new URL(server);
  u.pathname = `/keycenter_e2e_${process.env.E2E_PORT ?? "3100"}`;
  return u.toString();
}

/** One statement on it. */
export async function e2eSql(text: string, values: unknown[]) {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl()! });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** Makes the person's last proof of identity 10 minutes old: their next change asks "Confirm it's you". */
export async function ageSessions(email: string) {
  await e2eSql(
    `UPDATE sessions SET "verifiedAt" = now() - interval '10 minutes' WHERE "userId" = (SELECT id FROM users WHERE email = $1)`,
    [email],
  );
}
