/**
 * `npm run admin:create -- --email <email> --org <org ID> [--org-name <name>]
 *   [--org-type portfolio|account|merchant] [--name <name>]`
 *
 * First-run set-up of a real database (DATABASE_URL): creates the top organization when it
 * does not exist and an Administrator of it. The password comes from KEYCENTER_ADMIN_PASSWORD,
 * or is asked for (hidden on a terminal, twice), or is the first line of stdin when piped.
 * The work is lib/auth/first-run.ts's `createAdministrator` (the /setup page's too).
 */
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { migrate } from "@/lib/db-admin/migrate";
import { publicUrl } from "@/lib/public-url";
import { scriptOptions } from "./cli";
import { scriptClient } from "./db";

const USAGE =
  "Usage: npm run admin:create -- --email <email> --org <org ID> [--org-name <name>] " +
  "[--org-type portfolio|account|merchant] [--name <name>]\n" +
  "The password is read from KEYCENTER_ADMIN_PASSWORD, or asked for.";

/** The command-line flag of each field createAdministrator may name in an error. */
const FLAG: Record<string, string> = {
  email: "--email",
  name: "--name",
  orgId: "--org",
  orgName: "--org-name",
  orgType: "--org-type",
  password: "password",
};

/** A line typed without echo (raw mode): Enter ends it, Ctrl-C cancels, Backspace erases. */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          finish();
          return resolve(value);
        }
        if (ch === "\u0003") {
          finish();
          return reject(new Error("Cancelled."));
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** The first line of a piped stdin. */
async function readLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return "";
}

async function password(): Promise<string> {
  const fromEnv = process.env.KEYCENTER_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) return readLine();
  const first = await readHidden("Password for the new Administrator (at least 12 characters): ");
  const again = await readHidden("The same password again: ");
  if (first !== again) throw new Error("The two passwords differ. Nothing was created.");
  return first;
}

async function main(): Promise<number> {
  const values = scriptOptions(
    {
    email: { type: "string" },
    org: { type: "string" },
    "org-name": { type: "string" },
    "org-type": { type: "string" },
    name: { type: "string" },
    },
    USAGE,
  );
  if (typeof values === "number") return values;
  if (!values.email || !values.org) {
    console.error(USAGE);
    return 2;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "DATABASE_URL is not set. The embedded database (npm start without it) has the demo users, or /setup.",
    );
    return 2;
  }
  await migrate(url);
  const pw = await password();
  // Imported once DATABASE_URL is known (lib/db.ts reads it when first imported).
  const { createAdministrator } = await import("@/lib/auth/first-run");
  const { AppError } = await import("@/lib/errors");
  const db = scriptClient(url);
  try {
    const created = await createAdministrator(
      {
        email: values.email,
        orgId: values.org,
        orgName: values["org-name"],
        orgType: values["org-type"],
        name: values.name,
        password: pw,
      },
      { firstOnly: false, via: "admin:create", db },
    );
    console.log(
      `${created.orgCreated ? `Created the organization ${created.orgId} and` : `The organization ${created.orgId} exists:`} ` +
        `created the Administrator ${created.email}. Sign in at ${publicUrl("/sign-in")}.`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const fields = Object.entries(e.fields ?? {}).map(([field, message]) => `  ${FLAG[field] ?? field}: ${message}`);
    console.error(fields.length ? ["Nothing was created:", ...fields].join("\n") : e.userMessage);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

if (existsSync(".env")) process.loadEnvFile(".env");
main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
