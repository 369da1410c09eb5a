import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { recordAudit } from "@/lib/audit";
import { auditFiltersOrDefaults, listAuditEvents } from "@/lib/audit-log";
import { seed } from "../helpers/fixtures";

const portfolio = { id: "portfolioabc", type: "PORTFOLIO", portfolioId: null, accountId: null } as const;
const write = (input: Parameters<typeof recordAudit>[1]) => prisma.$transaction((tx) => recordAudit(tx, input));

beforeAll(async () => {
  await seed();
  await write({ action: "auth.mfa", orgId: "portfolioabc", actorEmail: "portfolio.admin@keycenter.test" });
  await write({ action: "auth.mfa_enroll", orgId: "portfolioabc", actorEmail: "portfolio.admin@keycenter.test" });
  await write({ action: "key.delete", orgId: "merchant12378", targetType: "key", targetId: "k1" });
});

describe("Audit page filters (issue 17)", () => {
  it("matches an action chosen from the list exactly: auth.mfa is not auth.mfa_enroll", async () => {
    const { filters, notices } = auditFiltersOrDefaults({ action: "auth.mfa" });
    expect(notices).toEqual([]);
    const found = await listAuditEvents({ scope: portfolio, filters });
    expect(found.rows.map((r) => r.action)).toEqual(["auth.mfa"]);
    const deleted = await listAuditEvents({ scope: portfolio, filters: auditFiltersOrDefaults({ action: "key.delete" }).filters });
    expect(deleted.rows.map((r) => r.targetId)).toEqual(["k1"]);
  });

  it("leaves out values it cannot use, says so in plain words, and keeps the others", () => {
    const { filters, notices } = auditFiltersOrDefaults({
      action: "key.nope",
      result: "maybe",
      from: "yesterday",
      to: "2026-01-01",
      actor: "portfolio",
      page: "2",
    });
    expect(filters).toEqual({ actor: "portfolio", to: "2026-01-01" });
    expect(notices).toEqual([
      "The action in the link is not one of the list's actions, so all actions are shown.",
      "The result in the link is not Success or Failure, so all results are shown.",
      "The From date in the link is not a date, so the search starts at the first event.",
    ]);
    for (const n of notices) expect(n).not.toMatch(/invalid|expected|enum|regex|`/i);

    const reversed = auditFiltersOrDefaults({ from: "2026-02-01", to: "2026-01-01" });
    expect(reversed.filters).toEqual({ from: "2026-02-01" });
    expect(reversed.notices).toEqual([
      "The To date in the link is before the From date, so the search runs to the newest event.",
    ]);
    expect(auditFiltersOrDefaults({ actor: "a\u0000" }).filters).toEqual({});
  });
});
