/**
 * Expiry alerts (B2) against real PostgreSQL with a controlled clock: the scheduler raises
 * each threshold once, restarts and concurrent runners repeat nothing, and deliveries go out
 * by email (outbox in demo mode, SMTP otherwise), a signed webhook with backoff, and in-app.
 */
import { createHmac, randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));

const { PrismaPg } = await import("@prisma/adapter-pg");
const { PrismaClient } = await import("@/lib/generated/prisma/client");
const { prisma } = await import("@/lib/db");
const { scanExpiringKeys } = await import("@/lib/alerts/scan");
const { deliverDue, BACKOFF_MS, CLAIM_LEASE_MS } = await import("@/lib/alerts/deliver");
const { transportsFromEnv, DEFAULT_FROM } = await import("@/lib/alerts/transports");
const { createWebhookSecret, setWebhookUrl, removeWebhook, sendTestWebhook } =
  await import("@/lib/alerts/webhook-settings");
const { checkExpiringKeysNow, listNotifications, markAllNotificationsRead, markNotificationRead } =
  await import("@/lib/alerts/notifications");
const { adminEmailsOf } = await import("@/lib/alerts/recipients");
const { seed } = await import("../helpers/fixtures");

type AlertTransports = import("@/lib/alerts/transports").AlertTransports;
type Db = import("@/lib/db").Db;

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Far beyond the demo keys' expiry dates: only this file's keys are in play. */
const T0 = new Date("2032-03-01T09:00:00.000Z");
const at = (days: number, ms = 0) => new Date(T0.getTime() + days * DAY + ms);

/** Demo mode: no SMTP, emails go to the outbox table; fetch is the real one. */
const demo: AlertTransports = { mailer: null, from: DEFAULT_FROM, fetch: globalThis.fetch };

async function newOrg(
  id: string,
  admins: string[],
  others: { email: string; roleId: string; disabled?: boolean }[] = [],
) {
  await prisma.organization.create({ data: { id, name: `${id} Inc`, type: "MERCHANT" } });
  for (const email of admins) await newUser(id, email, "role_administrator");
  for (const o of others) await newUser(id, o.email, o.roleId, o.disabled);
}

async function newUser(orgId: string, email: string, roleId: string, disabled = false) {
  await prisma.user.create({ data: { id: randomUUID(), email, name: email, orgId, roleId, disabled } });
}

let seq = 0;
async function newKey(
  orgId: string,
  expiresAt: Date,
  extra: { metaScope?: "ALL" | "CUSTOM"; deactivatedAt?: Date; deletedAt?: Date; type?: "REST_SHARED_SECRET" } = {},
) {
  const id = `alert-key-${++seq}`;
  await prisma.key.create({
    data: {
      id,
      type: extra.type ?? "PGP",
      environment: "TEST",
      orgId,
      name: `Key ${seq}`,
      createdAt: T0,
      expiresAt,
      metaScope: extra.metaScope ?? null,
      deactivatedAt: extra.deactivatedAt ?? null,
      deletedAt: extra.deletedAt ?? null,
    },
  });
  return id;
}

async function thresholdsOf(keyId: string) {
  const alerts = await prisma.expiryAlert.findMany({ where: { keyId }, orderBy: { thresholdDays: "desc" } });
  return alerts.map((a) => a.thresholdDays);
}

/** A "restarted" runner: a Prisma client of its own, with its own connection pool. */
const clients: Db[] = [];
function freshClient(): Db {
  const c = new PrismaClient({
    adapter: new PrismaPg({
      connectionString: process.env.DATABASE_URL,
      // The embedded database wants one connection per client (lib/db.ts).
      max: process.env.KEYCENTER_EMBEDDED_DB ? 1 : 4,
    }),
  });
  clients.push(c);
  return c;
}

function ctxFor(orgId: string) {
  return {
    actor: { actorId: "test", actorEmail: "test@keycenter.test" },
    org: { id: orgId, type: "MERCHANT" as const, portfolioId: null, accountId: null },
  };
}

/** A local webhook receiver: records raw bodies and headers, answers with the scripted statuses (then 200). */
async function webhookReceiver(statuses: number[] = []) {
  const received: { raw: string; headers: IncomingHttpHeaders }[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ raw: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/keycenter`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A tiny SMTP receiver (RFC 5321's happy path, no TLS, no auth) so SMTP_URL is exercised
 * through nodemailer's real SMTP client.
 */
async function smtpReceiver() {
  const messages: { from: string; to: string[]; data: string }[] = [];
  const server = createTcpServer((sock) => {
    sock.setEncoding("utf8");
    let buffer = "";
    let inData = false;
    let current = { from: "", to: [] as string[], data: "" };
    sock.write("220 receiver ESMTP\r\n");
    sock.on("data", (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf("\r\n"); i >= 0; i = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            messages.push(current);
            current = { from: "", to: [], data: "" };
            sock.write("250 2.0.0 queued\r\n");
          } else current.data += `${line.startsWith("..") ? line.slice(1) : line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        const address = /<([^>]*)>/.exec(line)?.[1] ?? "";
        if (verb === "QUIT") {
          sock.end("221 bye\r\n");
          continue;
        }
        if (verb === "MAIL") current.from = address;
        if (verb === "RCPT") current.to.push(address);
        if (verb === "DATA") inData = true;
        if (verb === "EHLO" || verb === "HELO") sock.write("250-receiver\r\n250 8BITMIME\r\n");
        else sock.write(verb === "DATA" ? "354 end with .\r\n" : "250 OK\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The Subject header of a raw message, unfolded and RFC 2047 (Q encoding) decoded. */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\n[ \t].*)*)/m.exec(raw)![1]!.replace(/\n[ \t]/g, " ");
  return header.replace(/\?=\s+=\?/g, "?==?").replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) =>
    Buffer.from(
      q.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      "latin1",
    ).toString("utf8"),
  );
}

beforeAll(async () => {
  await seed();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
});

describe("the scheduler", () => {
  it("raises the 60, 30, 7 and 1-day alerts exactly once each as the clock moves", async () => {
    await newOrg("alerts_clock", ["clock.admin@keycenter.test"]);
    const key = await newKey("alerts_clock", at(70));

    await scanExpiringKeys(prisma, T0);
    expect(await thresholdsOf(key)).toEqual([]);

    await scanExpiringKeys(prisma, at(11)); // 59 days left
    expect(await thresholdsOf(key)).toEqual([60]);
    const first = await prisma.expiryAlert.findFirstOrThrow({ where: { keyId: key } });
    expect(first.daysLeft).toBe(59);

    for (const t of [at(11, 1), at(11, 6 * 3_600_000), at(12), at(20), at(39)]) await scanExpiringKeys(prisma, t);
    expect(await thresholdsOf(key)).toEqual([60]);

    await scanExpiringKeys(prisma, at(40)); // 30 days left
    await scanExpiringKeys(prisma, at(41));
    expect(await thresholdsOf(key)).toEqual([60, 30]);

    await scanExpiringKeys(prisma, at(63)); // 7 days left
    await scanExpiringKeys(prisma, at(63, MINUTE));
    await scanExpiringKeys(prisma, at(65));
    expect(await thresholdsOf(key)).toEqual([60, 30, 7]);

    await scanExpiringKeys(prisma, at(69)); // 1 day left
    await scanExpiringKeys(prisma, at(69, 12 * 3_600_000));
    await scanExpiringKeys(prisma, at(70)); // expired: nothing more
    await scanExpiringKeys(prisma, at(71));
    expect(await thresholdsOf(key)).toEqual([60, 30, 7, 1]);

    const deliveries = await prisma.alertDelivery.findMany({ where: { alert: { keyId: key } } });
    // Per alert: the in-app notification and one email to the org's one administrator.
    expect(deliveries).toHaveLength(8);
    expect(new Set(deliveries.map((d) => `${d.channel}`))).toEqual(new Set(["IN_APP", "EMAIL"]));
  });

  it("gives a key created with 20 days left the 30-day alert only, not a burst of 60 and 30", async () => {
    await newOrg("alerts_late", ["late.admin@keycenter.test"]);
    const key = await newKey("alerts_late", at(20));
    await scanExpiringKeys(prisma, T0);
    await scanExpiringKeys(prisma, at(1));
    expect(await thresholdsOf(key)).toEqual([30]);
  });

  it("raises no alert for a deactivated or a deleted key", async () => {
    await newOrg("alerts_gone", ["gone.admin@keycenter.test"]);
    const deactivated = await newKey("alerts_gone", at(5), { deactivatedAt: T0 });
    const deleted = await newKey("alerts_gone", at(5), { deletedAt: T0 });
    await scanExpiringKeys(prisma, at(1));
    await scanExpiringKeys(prisma, at(4, 12 * 3_600_000));
    expect(await thresholdsOf(deactivated)).toEqual([]);
    expect(await thresholdsOf(deleted)).toEqual([]);
  });

  it("names a meta key as such, with the number of MIDs it serves, in every channel", async () => {
    // portfolioabc (demo data) has six transacting MIDs below it.
    const all = await newKey("portfolioabc", at(5), { metaScope: "ALL", type: "REST_SHARED_SECRET" });
    const custom = await newKey("portfolioabc", at(25), { metaScope: "CUSTOM", type: "REST_SHARED_SECRET" });
    await prisma.metaKeyAssignment.createMany({
      data: [
        { keyId: custom, mid: "merchant12378" },
        { keyId: custom, mid: "merchant45601" },
      ],
    });
    await scanExpiringKeys(prisma, T0, { orgId: "portfolioabc" });
    await deliverDue(prisma, T0, demo, { orgId: "portfolioabc" });

    const a = await prisma.expiryAlert.findFirstOrThrow({ where: { keyId: all } });
    expect({ threshold: a.thresholdDays, meta: a.metaKey, mids: a.midCount }).toEqual({
      threshold: 7,
      meta: true,
      mids: 6,
    });
    expect((await prisma.expiryAlert.findFirstOrThrow({ where: { keyId: custom } })).midCount).toBe(2);

    const note = await prisma.notification.findFirstOrThrow({ where: { keyId: all } });
    expect(note.title).toBe(`Meta key "Key ${seq - 1}" expires in 5 days`);
    expect(note.body).toContain("It is a meta key serving 6 merchant IDs");
    const mail = await prisma.outboxEmail.findFirstOrThrow({ where: { subject: { contains: note.title } } });
    expect(mail.to).toBe("portfolio.admin@keycenter.test");
    expect(mail.subject).toBe(`[KeyCenter] ${note.title}`);
    expect(mail.text).toContain("It is a meta key serving 6 merchant IDs");
  });
});

describe("delivery", () => {
  it("writes demo-mode email to the outbox for each administrator of the org, not for others", async () => {
    await newOrg(
      "alerts_mail",
      ["mail.admin1@keycenter.test", "mail.admin2@keycenter.test"],
      [
        { email: "mail.viewer@keycenter.test", roleId: "role_viewer" },
        { email: "mail.keys@keycenter.test", roleId: "role_key_manager" },
        { email: "mail.disabled@keycenter.test", roleId: "role_administrator", disabled: true },
      ],
    );
    const key = await newKey("alerts_mail", at(6));
    await scanExpiringKeys(prisma, T0);
    const r = await deliverDue(prisma, T0, demo, { orgId: "alerts_mail" });
    expect(r).toEqual({ sent: 3, retrying: 0, failed: 0 });

    const mails = await prisma.outboxEmail.findMany({ where: { orgId: "alerts_mail" }, orderBy: { to: "asc" } });
    expect(mails.map((m) => m.to)).toEqual(["mail.admin1@keycenter.test", "mail.admin2@keycenter.test"]);
    expect(mails[0]!.subject).toBe(`[KeyCenter] Key "Key ${seq}" expires in 6 days`);
    expect(mails[0]!.from).toBe(DEFAULT_FROM);
    expect(mails[0]!.text).toContain(`/keys/${key}`);
    const notes = await prisma.notification.findMany({ where: { orgId: "alerts_mail" } });
    expect(notes.map((n) => ({ keyId: n.keyId, daysLeft: n.daysLeft, read: n.readAt }))).toEqual([
      { keyId: key, daysLeft: 6, read: null },
    ]);
  });

  it("sends email through the configured transport with the right recipients and subject", async () => {
    await newOrg(
      "alerts_smtp",
      ["smtp.admin@keycenter.test"],
      [{ email: "smtp.viewer@keycenter.test", roleId: "role_viewer" }],
    );
    await newKey("alerts_smtp", at(2));
    await scanExpiringKeys(prisma, T0);
    const json = nodemailer.createTransport({ jsonTransport: true });
    const sent: { envelope: { from: string; to: string[] }; subject: string }[] = [];
    const mailer = {
      async sendMail(m: Parameters<typeof json.sendMail>[0]) {
        const info = await json.sendMail(m);
        const message = JSON.parse(info.message as unknown as string);
        sent.push({ envelope: info.envelope as never, subject: message.subject });
        return info;
      },
    };
    await deliverDue(prisma, T0, { mailer, from: "Alerts <alerts@keycenter.test>", fetch }, { orgId: "alerts_smtp" });
    expect(sent).toEqual([
      {
        envelope: { from: "alerts@keycenter.test", to: ["smtp.admin@keycenter.test"] },
        subject: `[KeyCenter] Key "Key ${seq}" expires in 2 days`,
      },
    ]);
    expect(await prisma.outboxEmail.count({ where: { orgId: "alerts_smtp" } })).toBe(0);
  });

  it("reads SMTP_URL and ALERT_EMAIL_FROM: a real SMTP conversation reaches the receiver; unset means the outbox", async () => {
    expect(transportsFromEnv({}).mailer).toBeNull();
    const receiver = await smtpReceiver();
    try {
      await newOrg("alerts_smtp_url", ["smtpurl.admin@keycenter.test"]);
      await newKey("alerts_smtp_url", at(30));
      await scanExpiringKeys(prisma, T0);
      const transports = transportsFromEnv({ SMTP_URL: receiver.url, ALERT_EMAIL_FROM: "KeyCenter <kc@example.test>" });
      expect(transports.mailer).not.toBeNull();
      expect(await deliverDue(prisma, T0, transports, { orgId: "alerts_smtp_url" })).toEqual({
        sent: 2,
        retrying: 0,
        failed: 0,
      });
      expect(receiver.messages).toHaveLength(1);
      expect(receiver.messages[0]!.from).toBe("kc@example.test");
      expect(receiver.messages[0]!.to).toEqual(["smtpurl.admin@keycenter.test"]);
      expect(subjectOf(receiver.messages[0]!.data)).toBe(`[KeyCenter] Key "Key ${seq}" expires in 30 days`);
    } finally {
      await receiver.close();
    }
  });

  it("after a restart (a new client) raises nothing again and delivers nothing twice", async () => {
    await newOrg("alerts_restart", ["restart.admin@keycenter.test"]);
    const key = await newKey("alerts_restart", at(3));
    const before = freshClient();
    await scanExpiringKeys(before, T0);
    expect(await deliverDue(before, T0, demo, { orgId: "alerts_restart" })).toEqual({
      sent: 2,
      retrying: 0,
      failed: 0,
    });
    await before.$disconnect();

    const after = freshClient();
    for (const t of [T0, at(0, MINUTE), at(1)]) {
      expect(await scanExpiringKeys(after, t, { orgId: "alerts_restart" })).toEqual({ alerts: 0 });
      expect(await deliverDue(after, t, demo, { orgId: "alerts_restart" })).toEqual({
        sent: 0,
        retrying: 0,
        failed: 0,
      });
    }
    expect(await thresholdsOf(key)).toEqual([7]);
    expect(await prisma.outboxEmail.count({ where: { orgId: "alerts_restart" } })).toBe(1);
    expect(await prisma.notification.count({ where: { orgId: "alerts_restart" } })).toBe(1);
  });

  it("takes over a delivery whose runner died mid-send once the claim's lease has run out", async () => {
    await newOrg("alerts_lease", ["lease.admin@keycenter.test"]);
    await newKey("alerts_lease", at(3));
    await scanExpiringKeys(prisma, T0, { orgId: "alerts_lease" });
    const where = { channel: "EMAIL" as const, alert: { orgId: "alerts_lease" } };
    const row = await prisma.alertDelivery.findFirstOrThrow({ where });
    // What a runner leaves behind when its process ends between claiming and recording.
    await prisma.alertDelivery.update({
      where: { id: row.id },
      data: { attempts: 1, claimToken: "dead-runner", lockedUntil: new Date(T0.getTime() + CLAIM_LEASE_MS) },
    });
    await deliverDue(prisma, at(0, CLAIM_LEASE_MS - 1_000), demo, { orgId: "alerts_lease" });
    expect((await prisma.alertDelivery.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("PENDING");
    await deliverDue(prisma, at(0, CLAIM_LEASE_MS), demo, { orgId: "alerts_lease" });
    const d = await prisma.alertDelivery.findUniqueOrThrow({ where: { id: row.id } });
    expect({ status: d.status, attempts: d.attempts, claimToken: d.claimToken }).toEqual({
      status: "SENT",
      attempts: 2,
      claimToken: null,
    });
    expect(await prisma.outboxEmail.count({ where: { orgId: "alerts_lease" } })).toBe(1);
  });

  it("counts a delivery as sent only while its claim holds: a runner outlived by its lease does not", async () => {
    await newOrg("alerts_overrun", ["overrun.admin@keycenter.test"]);
    await newKey("alerts_overrun", at(3));
    await scanExpiringKeys(prisma, T0, { orgId: "alerts_overrun" });
    const where = { channel: "EMAIL" as const, alert: { orgId: "alerts_overrun" } };
    let takeover: Awaited<ReturnType<typeof deliverDue>> | undefined;
    const mailed: string[] = [];
    // The first runner's SMTP server is so slow that its lease runs out; a second runner takes over.
    const slow: AlertTransports = {
      from: DEFAULT_FROM,
      fetch,
      mailer: {
        async sendMail(m: { to: string }) {
          takeover = await deliverDue(freshClient(), at(0, CLAIM_LEASE_MS + MINUTE), fast, { orgId: "alerts_overrun" });
          mailed.push(`${m.to} slow`);
        },
      },
    };
    const fast: AlertTransports = {
      from: DEFAULT_FROM,
      fetch,
      mailer: {
        async sendMail(m: { to: string }) {
          mailed.push(`${m.to} fast`);
        },
      },
    };
    const first = await deliverDue(prisma, T0, slow, { orgId: "alerts_overrun" });
    // Two deliveries (in-app, email), each counted once: the email by the runner that took it over.
    expect(takeover!.sent).toBeGreaterThanOrEqual(1);
    expect(first.sent + takeover!.sent).toBe(2);
    expect(mailed.sort()).toEqual(["overrun.admin@keycenter.test fast", "overrun.admin@keycenter.test slow"]);
    const d = await prisma.alertDelivery.findFirstOrThrow({ where });
    expect({ status: d.status, attempts: d.attempts }).toEqual({ status: "SENT", attempts: 2 });
  });

  it("two runners scanning and delivering at once create each alert once and deliver each delivery once", async () => {
    await newOrg("alerts_race", ["race.admin1@keycenter.test", "race.admin2@keycenter.test"]);
    const keys = [];
    for (let i = 0; i < 6; i++) keys.push(await newKey("alerts_race", at(1 + i)));
    const hook = await webhookReceiver();
    try {
      await setWebhookUrl({ ctx: ctxFor("alerts_race"), url: hook.url });
      await createWebhookSecret({ ctx: ctxFor("alerts_race"), now: T0 });
      const [a, b] = [freshClient(), freshClient()];
      await Promise.all([scanExpiringKeys(a, T0), scanExpiringKeys(b, T0)]);
      expect(await prisma.expiryAlert.count({ where: { orgId: "alerts_race" } })).toBe(6);
      const total = await prisma.alertDelivery.count({ where: { alert: { orgId: "alerts_race" } } });
      expect(total).toBe(6 * 4); // in-app, two emails, webhook

      const mailed: string[] = [];
      const slowMailer = (name: string) => ({
        from: DEFAULT_FROM,
        fetch,
        mailer: {
          async sendMail(m: { to: string; subject: string }) {
            await new Promise((r) => setTimeout(r, 5));
            mailed.push(`${m.to} ${m.subject} via ${name}`);
          },
        },
      });
      const [ra, rb] = await Promise.all([
        deliverDue(a, T0, slowMailer("a"), { orgId: "alerts_race", limit: 7 }),
        deliverDue(b, T0, slowMailer("b"), { orgId: "alerts_race", limit: 7 }),
      ]);
      // Then whatever is left, by both again, until nothing is due.
      let more = ra.sent + rb.sent;
      let rounds = 0;
      while (more > 0 && rounds++ < 10) {
        const r = await Promise.all([
          deliverDue(a, T0, slowMailer("a"), { orgId: "alerts_race", limit: 7 }),
          deliverDue(b, T0, slowMailer("b"), { orgId: "alerts_race", limit: 7 }),
        ]);
        more = r[0].sent + r[1].sent;
      }
      const rows = await prisma.alertDelivery.findMany({ where: { alert: { orgId: "alerts_race" } } });
      expect(rows.every((d) => d.status === "SENT" && d.attempts === 1)).toBe(true);
      expect(mailed).toHaveLength(12);
      expect(new Set(mailed.map((m) => m.replace(/ via [ab]$/, ""))).size).toBe(12);
      expect(mailed.some((m) => m.endsWith("via a")) && mailed.some((m) => m.endsWith("via b"))).toBe(true);
      expect(hook.received).toHaveLength(6);
      expect(new Set(hook.received.map((r) => r.headers["x-keycenter-event-id"])).size).toBe(6);
      expect(await prisma.notification.count({ where: { orgId: "alerts_race" } })).toBe(6);
    } finally {
      await hook.close();
    }
  });
});

describe("alert recipients", () => {
  it("a MID without administrators falls back to its account's, then to its portfolio's", async () => {
    const org = (id: string, type: "PORTFOLIO" | "ACCOUNT" | "MERCHANT", up: { p?: string; a?: string } = {}) =>
      prisma.organization.create({
        data: {
          id,
          name: `${id} Inc`,
          type,
          parentId: up.a ?? up.p ?? null,
          portfolioId: up.p ?? null,
          accountId: up.a ?? null,
        },
      });
    await org("alerts_fb_pf", "PORTFOLIO");
    await org("alerts_fb_acct", "ACCOUNT", { p: "alerts_fb_pf" });
    await org("alerts_fb_mid", "MERCHANT", { p: "alerts_fb_pf", a: "alerts_fb_acct" });
    await org("alerts_fb_own", "MERCHANT", { p: "alerts_fb_pf", a: "alerts_fb_acct" });
    await newUser("alerts_fb_pf", "fb.pf.admin@keycenter.test", "role_administrator");
    await newUser("alerts_fb_pf", "fb.pf.viewer@keycenter.test", "role_viewer");
    await newUser("alerts_fb_acct", "fb.acct.viewer@keycenter.test", "role_viewer");
    await newUser("alerts_fb_acct", "fb.acct.gone@keycenter.test", "role_administrator", true);
    await newUser("alerts_fb_mid", "fb.mid.viewer@keycenter.test", "role_viewer");
    await newUser("alerts_fb_own", "FB.Own.Admin@keycenter.test", "role_administrator");
    const ref = (id: string) => ({ id, portfolioId: "alerts_fb_pf", accountId: "alerts_fb_acct" });

    // Neither the MID nor its account has an enabled administrator: the portfolio's.
    expect(await adminEmailsOf(prisma, ref("alerts_fb_mid"))).toEqual(["fb.pf.admin@keycenter.test"]);
    expect(await adminEmailsOf(prisma, { id: "alerts_fb_acct", portfolioId: "alerts_fb_pf", accountId: null })).toEqual(
      ["fb.pf.admin@keycenter.test"],
    );
    // Once the account has one, the account's (the nearest), not the portfolio's as well.
    await newUser("alerts_fb_acct", "fb.acct.admin@keycenter.test", "role_administrator");
    expect(await adminEmailsOf(prisma, ref("alerts_fb_mid"))).toEqual(["fb.acct.admin@keycenter.test"]);
    // A MID with an administrator of its own: only that one.
    expect(await adminEmailsOf(prisma, ref("alerts_fb_own"))).toEqual(["fb.own.admin@keycenter.test"]);
  });
});

describe("the webhook", () => {
  it("signs the raw body with the org's secret (HMAC-SHA256) and retries with backoff: 500, 500, then 200", async () => {
    await newOrg("alerts_hook", ["hook.admin@keycenter.test"]);
    const key = await newKey("alerts_hook", at(7));
    const hook = await webhookReceiver([500, 500]);
    try {
      await setWebhookUrl({ ctx: ctxFor("alerts_hook"), url: hook.url });
      const { secret } = await createWebhookSecret({ ctx: ctxFor("alerts_hook"), now: T0 });
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      // Stored sealed, never in clear.
      const stored = await prisma.orgSettings.findUniqueOrThrow({ where: { orgId: "alerts_hook" } });
      expect(Buffer.from(stored.webhookSecret!).includes(Buffer.from(secret))).toBe(false);

      await scanExpiringKeys(prisma, T0);
      const hookDelivery = () =>
        prisma.alertDelivery.findFirstOrThrow({ where: { channel: "WEBHOOK", alert: { keyId: key } } });

      const t1 = T0;
      await deliverDue(prisma, t1, demo, { orgId: "alerts_hook" });
      let d = await hookDelivery();
      expect(hook.received).toHaveLength(1);
      expect({ status: d.status, attempts: d.attempts, next: d.nextAttemptAt, error: d.lastError }).toEqual({
        status: "PENDING",
        attempts: 1,
        next: new Date(t1.getTime() + BACKOFF_MS[0]),
        error: "HTTP 500",
      });

      await deliverDue(prisma, new Date(t1.getTime() + BACKOFF_MS[0] - 1_000), demo, { orgId: "alerts_hook" });
      expect(hook.received).toHaveLength(1); // not due yet

      const t2 = new Date(t1.getTime() + BACKOFF_MS[0]);
      await deliverDue(prisma, t2, demo, { orgId: "alerts_hook" });
      d = await hookDelivery();
      expect(hook.received).toHaveLength(2);
      expect({ status: d.status, attempts: d.attempts, next: d.nextAttemptAt }).toEqual({
        status: "PENDING",
        attempts: 2,
        next: new Date(t2.getTime() + BACKOFF_MS[1]),
      });

      const t3 = new Date(t2.getTime() + BACKOFF_MS[1]);
      await deliverDue(prisma, t3, demo, { orgId: "alerts_hook" });
      d = await hookDelivery();
      expect(hook.received).toHaveLength(3);
      expect({ status: d.status, attempts: d.attempts, sentAt: d.sentAt, error: d.lastError }).toEqual({
        status: "SENT",
        attempts: 3,
        sentAt: t3,
        error: null,
      });
      await deliverDue(prisma, at(1), demo, { orgId: "alerts_hook" });
      expect(hook.received).toHaveLength(3);

      // Each POST: the signature recomputed here, independently, over the exact bytes received.
      const sendTimes = [t1, t2, t3];
      hook.received.forEach((r, i) => {
        const expected = `sha256=${createHmac("sha256", secret).update(r.raw).digest("hex")}`;
        expect(r.headers["x-keycenter-signature"]).toBe(expected);
        expect(r.headers["x-keycenter-timestamp"]).toBe(String(Math.floor(sendTimes[i]!.getTime() / 1000)));
        expect(r.headers["content-type"]).toBe("application/json");
        const event = JSON.parse(r.raw);
        expect(event).toMatchObject({
          type: "key.expiring",
          sentAt: sendTimes[i]!.toISOString(),
          data: { orgId: "alerts_hook", keyId: key, thresholdDays: 7, daysLeft: 7, metaKey: false },
        });
        expect(r.headers["x-keycenter-event-id"]).toBe(event.id);
      });
      expect(new Set(hook.received.map((r) => r.headers["x-keycenter-event-id"])).size).toBe(1);
      // A signature made with another secret does not match.
      const forged = `sha256=${createHmac("sha256", "whsec_other").update(hook.received[0]!.raw).digest("hex")}`;
      expect(hook.received[0]!.headers["x-keycenter-signature"]).not.toBe(forged);
    } finally {
      await hook.close();
    }
  });

  it("gives up after the last backoff step and records every attempt", async () => {
    await newOrg("alerts_hook_down", ["down.admin@keycenter.test"]);
    await newKey("alerts_hook_down", at(1));
    const hook = await webhookReceiver(Array(20).fill(503));
    try {
      await setWebhookUrl({ ctx: ctxFor("alerts_hook_down"), url: hook.url });
      await createWebhookSecret({ ctx: ctxFor("alerts_hook_down"), now: T0 });
      await scanExpiringKeys(prisma, T0);
      let t = T0;
      for (const wait of [...BACKOFF_MS, 0]) {
        await deliverDue(prisma, t, demo, { orgId: "alerts_hook_down" });
        t = new Date(t.getTime() + wait);
      }
      await deliverDue(prisma, at(30), demo, { orgId: "alerts_hook_down" });
      const d = await prisma.alertDelivery.findFirstOrThrow({
        where: { channel: "WEBHOOK", alert: { orgId: "alerts_hook_down" } },
      });
      expect({ status: d.status, attempts: d.attempts, error: d.lastError }).toEqual({
        status: "FAILED",
        attempts: BACKOFF_MS.length + 1,
        error: "HTTP 503",
      });
      expect(hook.received).toHaveLength(BACKOFF_MS.length + 1);
    } finally {
      await hook.close();
    }
  });

  it("retries a network error, and fails a pending delivery for good once the webhook is removed", async () => {
    await newOrg("alerts_hook_gone", ["hookgone.admin@keycenter.test"]);
    await newKey("alerts_hook_gone", at(1));
    const hook = await webhookReceiver();
    await hook.close(); // nothing listens there any more
    await setWebhookUrl({ ctx: ctxFor("alerts_hook_gone"), url: hook.url });
    await createWebhookSecret({ ctx: ctxFor("alerts_hook_gone"), now: T0 });
    await scanExpiringKeys(prisma, T0);
    await deliverDue(prisma, T0, demo, { orgId: "alerts_hook_gone" });
    const where = { channel: "WEBHOOK" as const, alert: { orgId: "alerts_hook_gone" } };
    let d = await prisma.alertDelivery.findFirstOrThrow({ where });
    expect({ status: d.status, error: d.lastError }).toEqual({
      status: "PENDING",
      error: "Network error: ECONNREFUSED",
    });

    await removeWebhook({ ctx: ctxFor("alerts_hook_gone") });
    const removal = await prisma.auditEvent.findFirstOrThrow({
      where: { orgId: "alerts_hook_gone", action: "settings.webhook.remove" },
    });
    expect(removal.details).toEqual({ url: new URL(hook.url).origin });
    await deliverDue(prisma, at(1 / 24), demo, { orgId: "alerts_hook_gone" });
    d = await prisma.alertDelivery.findFirstOrThrow({ where });
    expect({ status: d.status, error: d.lastError }).toEqual({ status: "FAILED", error: "The webhook was removed" });
  });

  it("sends a signed test event on request, and refuses URLs that are not https (except to this machine)", async () => {
    await newOrg("alerts_hook_test", ["hooktest.admin@keycenter.test"]);
    const ctx = ctxFor("alerts_hook_test");
    await expect(sendTestWebhook({ ctx })).rejects.toMatchObject({ code: "NOT_CONFIGURED" });
    await expect(setWebhookUrl({ ctx, url: "http://hooks.example.com/x" })).rejects.toMatchObject({
      code: "INVALID_URL",
    });
    await expect(setWebhookUrl({ ctx, url: "https://user:pw@hooks.example.com/x" })).rejects.toMatchObject({
      code: "INVALID_URL",
    });
    expect(await setWebhookUrl({ ctx, url: "https://hooks.example.com/keycenter" })).toEqual({
      url: "https://hooks.example.com/keycenter",
    });
    const hook = await webhookReceiver([204]);
    try {
      await setWebhookUrl({ ctx, url: hook.url });
      const { secret } = await createWebhookSecret({ ctx });
      expect(await sendTestWebhook({ ctx })).toEqual({ ok: true, status: 204, error: null });
      const r = hook.received[0]!;
      expect(r.headers["x-keycenter-signature"]).toBe(
        `sha256=${createHmac("sha256", secret).update(r.raw).digest("hex")}`,
      );
      expect(JSON.parse(r.raw)).toMatchObject({ type: "test", data: { orgId: "alerts_hook_test" } });
      const audit = await prisma.auditEvent.findMany({
        where: { orgId: "alerts_hook_test" },
        orderBy: { seq: "asc" },
      });
      expect(audit.map((e) => e.action)).toEqual([
        "settings.webhook.url",
        "settings.webhook.url",
        "settings.webhook.secret",
        "settings.webhook.test",
      ]);
      expect(JSON.stringify(audit.map((e) => e.details))).not.toContain(secret);
      // URLs may carry a secret path: the audit keeps their origin only.
      expect(JSON.stringify(audit.map((e) => e.details))).not.toContain("/keycenter");
      expect(audit[1]!.details).toEqual({ from: "https://hooks.example.com", to: new URL(hook.url).origin });
      expect(audit[3]!.details).toMatchObject({ url: new URL(hook.url).origin, status: 204 });
    } finally {
      await hook.close();
    }
  });

  it("in production without KEYCENTER_ALLOW_LOCAL_WEBHOOKS, refuses private addresses and sends nothing to them", async () => {
    await newOrg("alerts_hook_ssrf", ["ssrf.admin@keycenter.test"]);
    const ctx = ctxFor("alerts_hook_ssrf");
    const hook = await webhookReceiver([204]);
    try {
      await setWebhookUrl({ ctx, url: hook.url });
      await createWebhookSecret({ ctx });
      vi.stubEnv("NODE_ENV", "production");
      vi.stubEnv("KEYCENTER_ALLOW_LOCAL_WEBHOOKS", "");
      await expect(setWebhookUrl({ ctx, url: "https://10.0.0.7/hook" })).rejects.toMatchObject({ code: "INVALID_URL" });
      await expect(setWebhookUrl({ ctx, url: hook.url })).rejects.toMatchObject({ code: "INVALID_URL" });
      expect(await sendTestWebhook({ ctx })).toMatchObject({ ok: false, status: null });
      expect(hook.received).toHaveLength(0);
      vi.stubEnv("KEYCENTER_ALLOW_LOCAL_WEBHOOKS", "1");
      expect(await sendTestWebhook({ ctx })).toEqual({ ok: true, status: 204, error: null });
      expect(hook.received).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
      await hook.close();
    }
  });
});

describe("the notification list", () => {
  it("Check now raises and delivers the org's alerts at once; Mark all as read is audited", async () => {
    await newOrg("alerts_inbox", ["inbox.admin@keycenter.test"]);
    const older = await newKey("alerts_inbox", at(25));
    const newer = await newKey("alerts_inbox", at(4));
    const ctx = ctxFor("alerts_inbox");
    await checkExpiringKeysNow({ ctx, now: T0, transports: demo });
    await checkExpiringKeysNow({ ctx, now: at(0, MINUTE), transports: demo });
    let list = await listNotifications({ orgId: "alerts_inbox" });
    expect(list.total).toBe(2);
    expect(list.unread).toBe(2);
    expect(new Set(list.rows.map((n) => n.keyId))).toEqual(new Set([older, newer]));

    await scanExpiringKeys(prisma, at(18)); // the older key's 7-day alert, newest in the list
    await deliverDue(prisma, at(18), demo, { orgId: "alerts_inbox" });
    list = await listNotifications({ orgId: "alerts_inbox" });
    expect(list.rows[0]!.keyId).toBe(older);
    expect(list.rows[0]!.daysLeft).toBe(7);

    // Another org cannot mark this org's notification read; the org itself can.
    const one = list.rows[1]!;
    expect(await markNotificationRead({ ctx: ctxFor("alerts_clock"), id: one.id })).toEqual({ count: 0 });
    expect(await markNotificationRead({ ctx, id: one.id })).toEqual({ count: 1 });
    expect(await markAllNotificationsRead({ ctx })).toEqual({ count: 2 });
    expect((await listNotifications({ orgId: "alerts_inbox" })).unread).toBe(0);
    const actions = (await prisma.auditEvent.findMany({ where: { orgId: "alerts_inbox" } })).map((e) => e.action);
    expect(actions).toEqual([
      "notifications.check",
      "notifications.check",
      "notifications.read",
      "notifications.read_all",
    ]);
  });
});
