import type { Environment } from "@/lib/generated/prisma/enums";

/** An environment as the portal names it. */
export const ENVIRONMENT_LABEL: Record<Environment, string> = { TEST: "Test", PRODUCTION: "Production" };

/** Dates as people here read them: 2026-11-28, in UTC (the gateway's clock). */
export function formatDate(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 10) : "—";
}

export function formatDateTime(d: Date | null | undefined): string {
  return d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";
}
