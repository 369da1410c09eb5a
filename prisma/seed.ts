import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { BUILT_IN_ROLES } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";
import { ancestorsFor, type OrgRef } from "@/lib/orgs/hierarchy";
import type { OrgType } from "@/lib/generated/prisma/enums";

export const DEMO_PASSWORD = "KeyCenter-demo-1";

/** portfolio -> accounts -> transacting MIDs, as in the guide's examples. */
export const DEMO_ORGS: { id: string; name: string; type: OrgType; parent: string | null }[] = [
  { id: "portfolioabc", name: "ABC Payments Portfolio", type: "PORTFOLIO", parent: null },
  { id: "acme_acct", name: "Acme Corporation", type: "ACCOUNT", parent: "portfolioabc" },
  { id: "globex_acct", name: "Globex Retail", type: "ACCOUNT", parent: "portfolioabc" },
  { id: "merchant12378", name: "Acme Online Store", type: "MERCHANT", parent: "acme_acct" },
  { id: "merchant12379", name: "Acme Outlet", type: "MERCHANT", parent: "acme_acct" },
  { id: "merchant12380", name: "Acme Subscriptions", type: "MERCHANT", parent: "acme_acct" },
  { id: "merchant45601", name: "Globex Downtown", type: "MERCHANT", parent: "globex_acct" },
  { id: "merchant45602", name: "Globex Airport", type: "MERCHANT", parent: "globex_acct" },
  { id: "merchant78901", name: "ABC Direct Sales", type: "MERCHANT", parent: "portfolioabc" },
  // An unrelated portfolio: nobody above may see it.
  { id: "initech_portfolio", name: "Initech Portfolio", type: "PORTFOLIO", parent: null },
  { id: "initech01", name: "Initech Store", type: "MERCHANT", parent: "initech_portfolio" },
];

export const DEMO_USERS = [
  {
    email: "portfolio.admin@keycenter.test",
    name: "Pat Portfolio",
    orgId: "portfolioabc",
    roleId: "role_administrator",
  },
  { email: "account.admin@keycenter.test", name: "Alex Account", orgId: "acme_acct", roleId: "role_administrator" },
  {
    email: "merchant.admin@keycenter.test",
    name: "Morgan Merchant",
    orgId: "merchant12378",
    roleId: "role_administrator",
  },
  { email: "merchant.viewer@keycenter.test", name: "Vic Viewer", orgId: "merchant12378", roleId: "role_viewer" },
  { email: "initech.admin@keycenter.test", name: "Ina Initech", orgId: "initech01", roleId: "role_administrator" },
];

export async function ensureBuiltInRoles(db: PrismaClient): Promise<void> {
  for (const role of BUILT_IN_ROLES) {
    await db.role.upsert({
      where: { id: role.id },
      create: { ...role, builtIn: true },
      update: { name: role.name, description: role.description, permissions: role.permissions, builtIn: true },
    });
  }
}

export async function createOrg(
  db: PrismaClient,
  org: { id: string; name: string; type: OrgType; parent: string | null },
): Promise<void> {
  const parent: OrgRef | null = org.parent
    ? await db.organization.findUniqueOrThrow({ where: { id: org.parent } })
    : null;
  await db.organization.create({
    data: { id: org.id, name: org.name, type: org.type, parentId: org.parent, ...ancestorsFor(parent) },
  });
  await db.orgSettings.create({ data: { orgId: org.id } });
}

export async function createUser(
  db: PrismaClient,
  u: { email: string; name: string; orgId: string; roleId: string },
  password: string,
): Promise<string> {
  const id = randomUUID();
  await db.user.create({
    data: {
      id,
      email: u.email,
      name: u.name,
      emailVerified: true,
      orgId: u.orgId,
      roleId: u.roleId,
      accounts: {
        create: { id: randomUUID(), accountId: id, providerId: "credential", password: await hashPassword(password) },
      },
    },
  });
  return id;
}

/** Secure Acceptance security profiles (profile ID, name) per transacting MID. */
export const DEMO_PROFILES = [
  { id: "PRF-12378-WEB", name: "Acme web checkout", orgId: "merchant12378" },
  { id: "PRF-12378-MOB", name: "Acme mobile checkout", orgId: "merchant12378" },
  { id: "PRF-12379-WEB", name: "Acme Outlet checkout", orgId: "merchant12379" },
  { id: "PRF-45601-WEB", name: "Globex Downtown checkout", orgId: "merchant45601" },
];

/** Seeds the demo data into an empty database. Returns false when data is already there. */
export async function seedDemo(db: PrismaClient): Promise<boolean> {
  await ensureBuiltInRoles(db);
  if ((await db.organization.count()) > 0) return false;
  for (const org of DEMO_ORGS) await createOrg(db, org);
  for (const u of DEMO_USERS) await createUser(db, u, DEMO_PASSWORD);
  await db.securityProfile.createMany({ data: DEMO_PROFILES });
  return true;
}
