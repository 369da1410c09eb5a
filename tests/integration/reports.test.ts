import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Gpg } from "../helpers/gpg";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
const { nextRequest } = await import("../helpers/next-request");

const { prisma } = await import("@/lib/db");
const { createPgpKey } = await import("@/lib/keys/secret-keys");
const { listReports, NO_PGP_KEY_MESSAGE } = await import("@/lib/reports");
const { GET } = await import("@/app/(portal)/reports/[reportId]/download/route");
const { seed, signedInHeaders } = await import("../helpers/fixtures");

const MID = "merchant12378";

async function download(email: string | null, reportId: string) {
  nextRequest.headers = email ? await signedInHeaders(email) : new Headers();
  return GET(new Request(`http://localhost/reports/${reportId}/download`, { headers: nextRequest.headers }), {
    params: Promise.resolve({ reportId }),
  });
}

async function reportOf(orgId: string) {
  return prisma.report.findFirstOrThrow({ where: { orgId, environment: "TEST" }, orderBy: { createdAt: "desc" } });
}

async function addPgpKey(gpg: Gpg, uid: string) {
  const fpr = gpg.genKey(uid, "rsa3072", "sign", "2y");
  gpg.addKey(fpr, "rsa3072", "encr", "2y");
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: MID } });
  const user = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
  const { key } = await createPgpKey({
    ctx: {
      actor: { actorId: user.id, actorEmail: user.email },
      org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId },
      environment: "TEST",
    },
    armoredKey: gpg.exportPublic(fpr),
  });
  return key;
}

const gpg = new Gpg();
const newerGpg = new Gpg();

beforeAll(async () => {
  await seed();
});
afterAll(() => {
  gpg.cleanup();
  newerGpg.cleanup();
});

describe("Reports", () => {
  it("lists the org's Account Updater files and NOC reports, newest first, without their content", async () => {
    const { rows, total } = await listReports({
      org: { id: MID, type: "MERCHANT", portfolioId: "portfolioabc", accountId: "acme_acct" },
      environment: "TEST",
    });
    expect(total).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(["ACCOUNT_UPDATER", "NOTICE_OF_CHANGE"]));
    expect(rows.every((r) => r.name.startsWith(`${MID}_`))).toBe(true);
    expect(rows[0]).not.toHaveProperty("content");
    const times = rows.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("refuses a download with a clear message while the org has no active PGP key", async () => {
    const report = await reportOf(MID);
    const res = await download("merchant.admin@keycenter.test", report.id);
    expect(res.status).toBe(409);
    const text = await res.text();
    expect(text).toBe(NO_PGP_KEY_MESSAGE);
    expect(text).toContain("Upload a PGP key first: Key Management > + Generate key > PGP");
    expect(await prisma.auditEvent.count({ where: { action: "report.download" } })).toBe(0);
  });

  it("downloads the report encrypted to the org's PGP key; GnuPG decrypts it back to the content", async () => {
    const key = await addPgpKey(gpg, "Reports <reports@keycenter.test>");
    const report = await reportOf(MID);
    const res = await download("merchant.admin@keycenter.test", report.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${report.name}.pgp"`);
    const armored = await res.text();
    expect(armored).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(armored).not.toContain(report.content.split("\n")[0]);
    expect(gpg.decrypt(armored)).toBe(report.content);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "report.download", targetId: report.id },
    });
    expect(audit.orgId).toBe(MID);
    expect(audit.details).toMatchObject({ name: report.name, pgpKeyId: key.id });
    expect(JSON.stringify(audit.details)).not.toContain(report.content.split("\n")[2]);
  });

  it("encrypts to the newest active PGP key, and not to a deactivated one", async () => {
    const newer = await addPgpKey(newerGpg, "Newer <newer@keycenter.test>");
    const report = await reportOf(MID);
    const armored = await (await download("merchant.admin@keycenter.test", report.id)).text();
    expect(newerGpg.decrypt(armored)).toBe(report.content);
    expect(() => gpg.decrypt(armored)).toThrow();
    await prisma.key.update({ where: { id: newer.id }, data: { deactivatedAt: new Date() } });
    const again = await (await download("merchant.admin@keycenter.test", report.id)).text();
    expect(gpg.decrypt(again)).toBe(report.content);
  });

  it("lets a portfolio user download the reports of a MID below it", async () => {
    const report = await reportOf(MID);
    const res = await download("portfolio.admin@keycenter.test", report.id);
    expect(res.status).toBe(200);
    expect(gpg.decrypt(await res.text())).toBe(report.content);
  });

  it("answers another org's report like a missing one", async () => {
    const mine = await reportOf(MID);
    const theirs = await reportOf("initech01");
    expect((await download("initech.admin@keycenter.test", mine.id)).status).toBe(404);
    expect((await download("merchant.admin@keycenter.test", theirs.id)).status).toBe(404);
    expect((await download("merchant.admin@keycenter.test", "no-such-report")).status).toBe(404);
  });

  it("refuses a user without Report Download, and a signed-out caller", async () => {
    const report = await reportOf(MID);
    expect((await download("merchant.viewer@keycenter.test", report.id)).status).toBe(403);
    expect((await download(null, report.id)).status).toBe(401);
  });
});
