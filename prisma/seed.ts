import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { BUILT_IN_ROLES } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";
import { ancestorsFor, type OrgRef } from "@/lib/orgs/hierarchy";
import type { KeyType, OrgType } from "@/lib/generated/prisma/enums";
import { certificateKeyId, uuidKeyId, accessKeyId } from "@/lib/keys/ids";
import { keyType } from "@/lib/keys/types";

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

/**
 * Whether `npm start` puts the demo data (users with the published DEMO_PASSWORD) into an
 * empty database: into the embedded one by default (KEYCENTER_SEED=0 turns it off, and an
 * explicit NODE_ENV=production never does); into a real one only with KEYCENTER_SEED=1. An
 * empty real database gets the first-run set-up instead (/setup or `npm run admin:create`).
 */
export function demoSeedWanted(opts: { embedded: boolean; env?: Record<string, string | undefined> }): boolean {
  const env = opts.env ?? process.env;
  const flag = env.KEYCENTER_SEED?.trim();
  if (flag === "1") return true;
  if (flag === "0" || !opts.embedded) return false;
  return env.NODE_ENV !== "production";
}

/** The built-in roles, created or brought up to date (every start, seeded or not). */
export async function ensureBuiltInRoles(db: Pick<PrismaClient, "role">): Promise<void> {
  for (const role of BUILT_IN_ROLES) {
    await db.role.upsert({
      where: { id: role.id },
      create: { ...role, builtIn: true },
      update: { name: role.name, description: role.description, permissions: role.permissions, builtIn: true },
    });
  }
}

export async function createOrg(
  db: Pick<PrismaClient, "organization" | "orgSettings">,
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

/**
 * A user with a password (credential account); a transaction client works too. With a null
 * password, an invited user: no credential, so no sign-in until they set one
 * (lib/auth/invitations.ts).
 */
export async function createUser(
  db: Pick<PrismaClient, "user">,
  u: { email: string; name: string; orgId: string; roleId: string },
  password: string | null,
): Promise<string> {
  const id = randomUUID();
  await db.user.create({
    data: {
      id,
      email: u.email,
      name: u.name,
      emailVerified: password !== null,
      orgId: u.orgId,
      roleId: u.roleId,
      ...(password === null ? {} : { accounts: { create: { id: randomUUID(), ...(await credential(id, password)) } } }),
    },
  });
  return id;
}

/** The better-auth credential account fields for a password (argon2id hash only). */
export async function credential(userId: string, password: string) {
  return { accountId: userId, providerId: "credential", password: await hashPassword(password) };
}

/** Secure Acceptance security profiles (profile ID, name) per transacting MID. */
export const DEMO_PROFILES = [
  { id: "PRF-12378-WEB", name: "Acme web checkout", orgId: "merchant12378" },
  { id: "PRF-12378-MOB", name: "Acme mobile checkout", orgId: "merchant12378" },
  { id: "PRF-12379-WEB", name: "Acme Outlet checkout", orgId: "merchant12379" },
  { id: "PRF-45601-WEB", name: "Globex Downtown checkout", orgId: "merchant45601" },
];

/**
 * Demo keys of every type, spread over expiry dates (some expired, some within 60 days) so
 * the Key Management page and the dashboard mean something on first start. They carry no
 * usable secret or certificate: keys that work are created in the portal.
 */
const DAY = 86_400_000;
const DEMO_KEYS: {
  org: string;
  type: KeyType;
  name: string;
  expiresInDays: number;
  deactivated?: boolean;
  meta?: "ALL" | "CUSTOM";
}[] = [
  { org: "merchant12378", type: "REST_CERTIFICATE", name: "Checkout API certificate", expiresInDays: 36 },
  { org: "merchant12378", type: "REST_CERTIFICATE", name: "Back-office API certificate", expiresInDays: 700 },
  { org: "merchant12378", type: "REST_SHARED_SECRET", name: "Legacy shared secret", expiresInDays: -20 },
  { org: "merchant12378", type: "REST_SHARED_SECRET", name: "Webhooks shared secret", expiresInDays: 55 },
  { org: "merchant12378", type: "REST_SHARED_SECRET", name: "Reporting shared secret", expiresInDays: 90 },
  { org: "merchant12378", type: "PGP", name: "Reports PGP key", expiresInDays: 18 },
  { org: "merchant12378", type: "PGP", name: "Account Updater PGP key", expiresInDays: 980 },
  { org: "merchant12378", type: "SECURE_ACCEPTANCE", name: "Hosted checkout", expiresInDays: 40 },
  {
    org: "merchant12378",
    type: "SECURE_ACCEPTANCE",
    name: "Old hosted checkout",
    expiresInDays: 300,
    deactivated: true,
  },
  { org: "merchant12378", type: "SIMPLE_ORDER", name: "Simple Order certificate", expiresInDays: 45 },
  { org: "merchant12378", type: "SOAP_TOOLKIT", name: "SOAP Toolkit key", expiresInDays: 180 },
  { org: "merchant12378", type: "TOKEN_MANAGEMENT_MLE", name: "Token Management MLE", expiresInDays: 25 },
  { org: "merchant12378", type: "REST_RESPONSE_MLE", name: "Response MLE certificate", expiresInDays: 500 },
  { org: "merchant12378", type: "ISV_BRIDGE", name: "ISV Bridge key", expiresInDays: 30 },
  { org: "merchant12378", type: "MPOS", name: "Store tablet", expiresInDays: 50 },
  { org: "merchant12379", type: "REST_CERTIFICATE", name: "Outlet API certificate", expiresInDays: 12 },
  { org: "merchant12379", type: "REST_SHARED_SECRET", name: "Outlet shared secret", expiresInDays: -200 },
  { org: "merchant12380", type: "SIMPLE_ORDER", name: "Subscriptions Simple Order", expiresInDays: 8 },
  { org: "merchant45601", type: "REST_SHARED_SECRET", name: "Downtown shared secret", expiresInDays: 31 },
  { org: "merchant45601", type: "PGP", name: "Downtown PGP key", expiresInDays: 400 },
  { org: "merchant45602", type: "REST_CERTIFICATE", name: "Airport API certificate", expiresInDays: 3 },
  { org: "merchant78901", type: "SECURE_ACCEPTANCE", name: "Direct sales checkout", expiresInDays: 59 },
  { org: "portfolioabc", type: "REST_SHARED_SECRET", name: "Portfolio meta key", expiresInDays: 44, meta: "ALL" },
  {
    org: "portfolioabc",
    type: "REST_CERTIFICATE",
    name: "Portfolio meta certificate",
    expiresInDays: 600,
    meta: "CUSTOM",
  },
  { org: "acme_acct", type: "SIMPLE_ORDER", name: "Acme meta Simple Order", expiresInDays: 21, meta: "ALL" },
  { org: "initech01", type: "REST_SHARED_SECRET", name: "Initech shared secret", expiresInDays: 33 },
];

export async function seedDemoKeys(db: PrismaClient, now = new Date()): Promise<void> {
  for (const k of DEMO_KEYS) {
    const spec = keyType(k.type);
    const expiresAt = new Date(now.getTime() + k.expiresInDays * DAY);
    const createdAt = new Date(expiresAt);
    createdAt.setUTCMonth(createdAt.getUTCMonth() - spec.lifetimeMonths);
    const id =
      k.type === "SECURE_ACCEPTANCE"
        ? accessKeyId()
        : spec.metaCapable && k.type !== "REST_SHARED_SECRET"
          ? certificateKeyId()
          : uuidKeyId();
    await db.key.create({
      data: {
        id,
        type: k.type,
        environment: "TEST",
        orgId: k.org,
        name: k.name,
        createdAt,
        expiresAt,
        deactivatedAt: k.deactivated ? new Date(now.getTime() - 30 * DAY) : null,
        metaScope: k.meta ?? null,
        details: { origin: "Demo data" },
        ...(k.meta === "CUSTOM"
          ? { assignments: { create: [{ mid: "merchant12378" }, { mid: "merchant12379" }] } }
          : {}),
      },
    });
  }
}

/** Seeds the demo data into an empty database. Returns false when data is already there. */
export async function seedDemo(db: PrismaClient): Promise<boolean> {
  await ensureBuiltInRoles(db);
  if ((await db.organization.count()) > 0) return false;
  for (const org of DEMO_ORGS) await createOrg(db, org);
  for (const u of DEMO_USERS) await createUser(db, u, DEMO_PASSWORD);
  await db.securityProfile.createMany({ data: DEMO_PROFILES });
  await seedDemoKeys(db);
  await (await import("./seed-reports")).seedDemoReports(db);
  return true;
}
