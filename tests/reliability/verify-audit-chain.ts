export {};
/**
 * Prints verifyAuditChain()'s report (JSON) for the database in DATABASE_URL: the backup drill
 * runs it on the restored copy in a process of its own (lib/db.ts binds one database per process).
 */
const { verifyAuditChain } = await import("@/lib/audit-log");
const { prisma } = await import("@/lib/db");
const report = await verifyAuditChain();
const records = await prisma.auditEvent.count();
console.log(JSON.stringify({ ...report, records }));
await prisma.$disconnect();
