import type { OrgType } from "@/lib/generated/prisma/enums";

/** The fields of an organization that the hierarchy rules need. */
export interface OrgRef {
  id: string;
  type: OrgType;
  portfolioId: string | null;
  accountId: string | null;
}

/** Just the hierarchy fields of an organization row (no name, status, dates). */
export function orgRef(org: OrgRef): OrgRef {
  return { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId };
}

/**
 * May a person of org `actor` act for org `target`? Their own org, or, for portfolio and
 * account users, any org below it. Ancestors are stored on every row (portfolioId,
 * accountId), so this is a comparison, not a walk.
 */
/** The org and the account and portfolio above it, nearest first: whose people may act for it. */
export function selfAndAncestors(org: Pick<OrgRef, "id" | "accountId" | "portfolioId">): string[] {
  return [org.id, org.accountId, org.portfolioId].filter((id): id is string => id !== null);
}

export function mayActFor(actor: OrgRef, target: OrgRef): boolean {
  if (actor.id === target.id) return true;
  if (actor.type === "PORTFOLIO") return target.portfolioId === actor.id;
  if (actor.type === "ACCOUNT") return target.accountId === actor.id;
  return false;
}

/** Ancestor columns for a new org created under `parent`. */
export function ancestorsFor(parent: OrgRef | null): { portfolioId: string | null; accountId: string | null } {
  if (!parent) return { portfolioId: null, accountId: null };
  if (parent.type === "PORTFOLIO") return { portfolioId: parent.id, accountId: null };
  if (parent.type === "ACCOUNT") return { portfolioId: parent.portfolioId, accountId: parent.id };
  throw new Error("A transacting merchant cannot have organizations below it");
}

/** Portfolio and account users may switch to the orgs below them (Quick Merchant Switch). */
export function canSwitchMerchant(org: Pick<OrgRef, "type">): boolean {
  return org.type !== "MERCHANT";
}
