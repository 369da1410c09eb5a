import { createMessage, encrypt, readKey } from "openpgp";
import { AppError } from "@/lib/errors";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { prisma } from "@/lib/db";
import type { Environment, ReportKind } from "@/lib/generated/prisma/enums";
import type { OrgRef } from "@/lib/orgs/hierarchy";

/**
 * Reports (SPEC G9, guide {#keys-pgp-intro}): Account Updater response files and Notice of
 * Change reports. Downloads are encrypted to the org's newest active PGP key of the
 * environment; KeyCenter never hands out a report in the clear.
 */

export const REPORT_KIND_LABELS: Record<ReportKind, string> = {
  ACCOUNT_UPDATER: "Account Updater response file",
  NOTICE_OF_CHANGE: "Notice of Change report",
};

export const NO_PGP_KEY_MESSAGE =
  "Reports are encrypted to your PGP key, and there is no active PGP key for this environment. Upload a PGP key first: Key Management > + Generate key > PGP.";

const PER_PAGE = 25;

/** The reports of one org and environment, newest first, paginated in the database; no content. */
export async function listReports(input: { org: OrgRef; environment: Environment; page?: number }) {
  const where = { orgId: input.org.id, environment: input.environment };
  const page = Math.max(1, input.page ?? 1);
  const [total, rows] = await Promise.all([
    prisma.report.count({ where }),
    prisma.report.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * PER_PAGE,
      take: PER_PAGE,
      select: { id: true, kind: true, name: true, status: true, createdAt: true },
    }),
  ]);
  return { total, rows, page, pageCount: Math.max(1, Math.ceil(total / PER_PAGE)) };
}

/** The org's newest active PGP key of the environment (not deactivated, not deleted, not expired), or null. */
export function activePgpKey(orgId: string, environment: Environment, now = new Date()) {
  return prisma.key.findFirst({
    where: { orgId, environment, type: "PGP", deactivatedAt: null, deletedAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, publicKey: true, fingerprint: true },
  });
}

/** The report a caller may ask for: found in `environment`, or null. Scope is the caller's check. */
export function findReport(reportId: string, environment: Environment) {
  return prisma.report.findFirst({
    where: { id: reportId, environment },
    select: {
      id: true,
      orgId: true,
      name: true,
      kind: true,
      content: true,
      org: { select: { id: true, type: true, portfolioId: true, accountId: true } },
    },
  });
}

export interface ReportDownload {
  filename: string;
  /** An ASCII-armored OpenPGP message. */
  armored: string;
  keyId: string;
}

/**
 * Encrypts a report to its org's active PGP key and writes the "report.download" audit record.
 * Throws AppError NO_PGP_KEY when the org has no active PGP key in the environment.
 */
export async function downloadReport(input: {
  report: { id: string; orgId: string; name: string; kind: ReportKind; content: string };
  environment: Environment;
  actor: AuditActor;
  now?: Date;
}): Promise<ReportDownload> {
  const { report, environment } = input;
  const now = input.now ?? new Date();
  const key = await activePgpKey(report.orgId, environment, now);
  if (!key?.publicKey) throw new AppError("NO_PGP_KEY", NO_PGP_KEY_MESSAGE);
  const armored = await encrypt({
    message: await createMessage({ text: report.content, filename: report.name, date: now }),
    encryptionKeys: await readKey({ armoredKey: key.publicKey }),
    format: "armored",
    date: now,
  });
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      ...input.actor,
      action: "report.download",
      orgId: report.orgId,
      targetType: "report",
      targetId: report.id,
      details: {
        name: report.name,
        kind: report.kind,
        environment,
        pgpKeyId: key.id,
        fingerprint: key.fingerprint ?? null,
      },
    }),
  );
  return { filename: `${report.name}.pgp`, armored, keyId: key.id };
}
