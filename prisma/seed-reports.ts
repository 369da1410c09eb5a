import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ReportKind, ReportStatus } from "@/lib/generated/prisma/enums";

const DAY = 86_400_000;

/** Test data only: an Account Updater response file (card updates for stored profiles). */
function accountUpdaterContent(mid: string, day: string): string {
  return [
    `merchantID,${mid}`,
    `batchDate,${day}`,
    "requestID,merchantReferenceCode,responseCode,oldCardNumber,newCardNumber,newExpiration",
    `${day.replaceAll("-", "")}0001,sub-1001,NUM,411111XXXXXX1111,400000XXXXXX0002,12/2029`,
    `${day.replaceAll("-", "")}0002,sub-1002,EXP,555555XXXXXX4444,555555XXXXXX4444,07/2030`,
    `${day.replaceAll("-", "")}0003,sub-1003,CUR,378282XXXXX0005,,`,
    "",
  ].join("\n");
}

/** Test data only: a Notice of Change report for electronic checks. */
function nocContent(mid: string, day: string): string {
  return [
    `merchantID,${mid}`,
    `reportDate,${day}`,
    "requestID,merchantReferenceCode,changeCode,correctedData",
    `${day.replaceAll("-", "")}1001,ach-2001,C01,Corrected account number 0000123456`,
    `${day.replaceAll("-", "")}1002,ach-2002,C02,Corrected routing number 011000015`,
    "",
  ].join("\n");
}

const DEMO_REPORTS: { kind: ReportKind; daysAgo: number; status: ReportStatus }[] = [
  { kind: "ACCOUNT_UPDATER", daysAgo: 1, status: "COMPLETE" },
  { kind: "ACCOUNT_UPDATER", daysAgo: 0, status: "PROCESSING" },
  { kind: "ACCOUNT_UPDATER", daysAgo: 8, status: "FAILED" },
  { kind: "NOTICE_OF_CHANGE", daysAgo: 2, status: "COMPLETE" },
  { kind: "NOTICE_OF_CHANGE", daysAgo: 0, status: "RECEIVED" },
];

/** Demo reports (G9): a few Account Updater response files and NOC reports per transacting MID, test environment. */
export async function seedDemoReports(db: PrismaClient, now = new Date()): Promise<void> {
  const mids = await db.organization.findMany({ where: { type: "MERCHANT" }, select: { id: true } });
  await db.report.createMany({
    data: mids.flatMap(({ id: mid }) =>
      DEMO_REPORTS.map((r) => {
        const createdAt = new Date(now.getTime() - r.daysAgo * DAY);
        const day = createdAt.toISOString().slice(0, 10);
        const stamp = day.replaceAll("-", "");
        const isAu = r.kind === "ACCOUNT_UPDATER";
        return {
          orgId: mid,
          environment: "TEST" as const,
          kind: r.kind,
          status: r.status,
          createdAt,
          name: isAu ? `${mid}_au_response_${stamp}.csv` : `${mid}_noc_${stamp}.csv`,
          content: isAu ? accountUpdaterContent(mid, day) : nocContent(mid, day),
        };
      }),
    ),
  });
}
