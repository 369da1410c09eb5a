import { alertsEnabled } from "@/lib/alerts/runner";
import { localWebhooksAllowed } from "@/lib/alerts/webhook";
import pkg from "@/package.json";

/**
 * What a deployed instance is, for the people and tests that use it (GET /api/info): its mode,
 * version and the switches whose effect a user can see. Only booleans and names, never a
 * value from the environment (no URLs, hosts, secrets).
 */
export type InstanceInfo = {
  app: "KeyCenter";
  version: string;
  /** How the server runs: "production" for `npm start` / `next start`, else "development" or "test". */
  mode: "production" | "development" | "test";
  switches: {
    /** Webhooks may go to this machine or a private network (plain http to localhost / 127.0.0.1). */
    localWebhooks: boolean;
    /** The expiry-alert runner works every minute (else only Notifications > Check now). */
    alertRunner: boolean;
    /** Emails go out by SMTP; without it they wait on Notifications > Outbox. */
    smtp: boolean;
    /** The database is the embedded one (PGlite, demo mode). */
    embeddedDatabase: boolean;
  };
};

export function instanceInfo(env: Record<string, string | undefined> = process.env): InstanceInfo {
  const mode = env.NODE_ENV === "production" ? "production" : env.NODE_ENV === "test" ? "test" : "development";
  return {
    app: "KeyCenter",
    version: pkg.version,
    mode,
    switches: {
      localWebhooks: localWebhooksAllowed(env),
      alertRunner: alertsEnabled(env),
      smtp: Boolean(env.SMTP_URL?.trim()),
      embeddedDatabase: env.KEYCENTER_EMBEDDED_DB === "1",
    },
  };
}
