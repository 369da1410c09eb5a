import type { Environment } from "@/lib/generated/prisma/enums";

/** An environment as the portal names it. */
export const ENVIRONMENT_LABEL: Record<Environment, string> = { TEST: "Test", PRODUCTION: "Production" };

/**
 * The portal's one date and date-time format: ISO order, in UTC (the gateway's clock; an
 * organization has no time zone of its own), and the zone named: "2026-12-01 14:03 UTC".
 * Every page and component formats through these two, never toLocaleString.
 */

/** A date: 2026-11-28 (UTC). */
export function formatDate(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 10) : "—";
}

/** A date and time: 2026-12-01 14:03 UTC. */
export function formatDateTime(d: Date | null | undefined): string {
  return d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";
}
