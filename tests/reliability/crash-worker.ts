/**
 * A KeyCenter worker process for the crash tests (crash.test.ts), killed with SIGKILL in the
 * middle of its write: it runs the same service code the portal's actions and the alert
 * runner run, against DATABASE_URL, and says on stdout when its write has begun.
 *   p12                 issue .p12 certificate keys for merchant12378, one after the other, forever
 *   assign <keyId> <n>  add the n MIDs scale_mid_000001… to the meta key (one edit)
 *   deliver <orgId> <nowIso> <sentFile> <delayMs>
 *                       deliver the due alert deliveries at <nowIso>, with a mailer that takes
 *                       <delayMs> per email and then appends its recipient to <sentFile>
 */
import { appendFileSync } from "node:fs";

const { prisma } = await import("@/lib/db");
const [mode, ...args] = process.argv.slice(2);

async function ctxOf(orgId: string) {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
  return {
    actor: { actorId: "crash-worker", actorEmail: "admin@keycenter.test" },
    org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId },
    environment: "TEST" as const,
  };
}

if (mode === "p12") {
  const { createCertificateKey } = await import("@/lib/keys/certificate-keys");
  const ctx = await ctxOf("merchant12378");
  for (let i = 1; ; i++) {
    console.log(`issuing ${i}`);
    const { key } = await createCertificateKey({ ctx, type: "REST_CERTIFICATE", password: "crash-p12-password" });
    console.log(`issued ${key.id}`);
  }
} else if (mode === "assign") {
  const { editMetaKey } = await import("@/lib/keys/meta");
  const [keyId, n] = args;
  const add = Array.from({ length: Number(n) }, (_, i) => `scale_mid_${String(i + 1).padStart(6, "0")}`);
  console.log("assigning");
  const r = await editMetaKey({
    ctx: await ctxOf("portfolioabc"),
    keyId: keyId!,
    edit: { meta: true, scope: "CUSTOM", add, remove: [] },
  });
  console.log(`assigned ${r.added}`);
} else if (mode === "deliver") {
  const { deliverDue } = await import("@/lib/alerts/deliver");
  const { DEFAULT_FROM } = await import("@/lib/alerts/transports");
  const [orgId, nowIso, sentFile, delayMs] = args;
  const mailer = {
    async sendMail(m: { to: string }) {
      console.log(`sending ${m.to}`);
      await new Promise((resolve) => setTimeout(resolve, Number(delayMs)));
      appendFileSync(sentFile!, `${m.to}\n`);
    },
  };
  const transports = { mailer, from: DEFAULT_FROM, fetch: globalThis.fetch };
  const r = await deliverDue(prisma, new Date(nowIso!), transports, { orgId });
  console.log(`delivered ${JSON.stringify(r)}`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
await prisma.$disconnect();
