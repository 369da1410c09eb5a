import { describe, expect, it } from "vitest";
import { ancestorsFor, canSwitchMerchant, mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";

const portfolio: OrgRef = { id: "portfolioabc", type: "PORTFOLIO", portfolioId: null, accountId: null };
const account: OrgRef = { id: "acme_acct", type: "ACCOUNT", ...ancestorsFor(portfolio) };
const otherAccount: OrgRef = { id: "globex_acct", type: "ACCOUNT", ...ancestorsFor(portfolio) };
const mid: OrgRef = { id: "merchant12378", type: "MERCHANT", ...ancestorsFor(account) };
const directMid: OrgRef = { id: "merchant78901", type: "MERCHANT", ...ancestorsFor(portfolio) };
const stranger: OrgRef = { id: "initech01", type: "MERCHANT", portfolioId: "initech_portfolio", accountId: null };

describe("the org hierarchy", () => {
  it("records both ancestors on a MID below an account", () => {
    expect(mid).toMatchObject({ portfolioId: "portfolioabc", accountId: "acme_acct" });
    expect(directMid).toMatchObject({ portfolioId: "portfolioabc", accountId: null });
  });

  it("lets a portfolio act for everything below it and nothing else", () => {
    for (const org of [portfolio, account, otherAccount, mid, directMid]) expect(mayActFor(portfolio, org)).toBe(true);
    expect(mayActFor(portfolio, stranger)).toBe(false);
  });

  it("lets an account act for its own MIDs only", () => {
    expect(mayActFor(account, mid)).toBe(true);
    expect(mayActFor(account, directMid)).toBe(false);
    expect(mayActFor(account, otherAccount)).toBe(false);
    expect(mayActFor(account, portfolio)).toBe(false);
  });

  it("lets a transacting MID act for itself only, and never switch", () => {
    expect(mayActFor(mid, mid)).toBe(true);
    expect(mayActFor(mid, account)).toBe(false);
    expect(canSwitchMerchant(mid)).toBe(false);
    expect(canSwitchMerchant(account)).toBe(true);
  });

  it("refuses to put an org below a transacting MID", () => {
    expect(() => ancestorsFor(mid)).toThrow();
  });
});
