import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/actions";
import { recordAudit } from "@/lib/audit";
import { sealSecret } from "@/lib/crypto/secrets";
import { prisma } from "@/lib/db";
import type { KeyServiceContext } from "@/lib/keys/context";
import {
  checkWebhookUrl,
  generateWebhookSecret,
  orgWebhook,
  postWebhook,
  webhookSecretContext,
  type Fetch,
} from "./webhook";

/**
 * The org's alert webhook on the Settings page: URL, the HMAC secret (sealed at rest, shown
 * once when generated), a test event, removal. Each change is audited in its own
 * transaction; the audit record names what changed (a URL by its origin), never the secret.
 */
type Ctx = Pick<KeyServiceContext, "actor" | "org">;

/** What an audit record says of a webhook URL: its origin only, since a path may carry a secret. */
function auditedUrl(url: string | null | undefined): string | null {
  return url ? new URL(url).origin : null;
}

export async function setWebhookUrl({ ctx, url }: { ctx: Ctx; url: string }) {
  const checked = checkWebhookUrl(url);
  if (!checked.ok) throw new AppError("INVALID_URL", checked.message, { url: checked.message });
  await prisma.$transaction(async (tx) => {
    const before = await tx.orgSettings.findUnique({ where: { orgId: ctx.org.id }, select: { webhookUrl: true } });
    await tx.orgSettings.upsert({
      where: { orgId: ctx.org.id },
      create: { orgId: ctx.org.id, webhookUrl: checked.url },
      update: { webhookUrl: checked.url },
    });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "settings.webhook.url",
      targetType: "organization",
      targetId: ctx.org.id,
      details: { from: auditedUrl(before?.webhookUrl), to: auditedUrl(checked.url) },
    });
  });
  return { url: checked.url };
}

/** A new secret replaces the old one at once; the plaintext is returned this once only. */
export async function createWebhookSecret({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }) {
  const secret = generateWebhookSecret();
  const sealed = new Uint8Array(sealSecret(secret, webhookSecretContext(ctx.org.id)));
  await prisma.$transaction(async (tx) => {
    const before = await tx.orgSettings.findUnique({ where: { orgId: ctx.org.id }, select: { webhookSecret: true } });
    await tx.orgSettings.upsert({
      where: { orgId: ctx.org.id },
      create: { orgId: ctx.org.id, webhookSecret: sealed, webhookSecretCreatedAt: now },
      update: { webhookSecret: sealed, webhookSecretCreatedAt: now },
    });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "settings.webhook.secret",
      targetType: "organization",
      targetId: ctx.org.id,
      details: { replaced: Boolean(before?.webhookSecret) },
    });
  });
  return { secret };
}

export async function removeWebhook({ ctx }: { ctx: Ctx }) {
  await prisma.$transaction(async (tx) => {
    const before = await tx.orgSettings.findUnique({ where: { orgId: ctx.org.id }, select: { webhookUrl: true } });
    await tx.orgSettings.updateMany({
      where: { orgId: ctx.org.id },
      data: { webhookUrl: null, webhookSecret: null, webhookSecretCreatedAt: null },
    });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "settings.webhook.remove",
      targetType: "organization",
      targetId: ctx.org.id,
      details: { url: auditedUrl(before?.webhookUrl) },
    });
  });
}

/** Send test event: one signed POST now, no retry; the answer's status only (never its body). */
export async function sendTestWebhook({
  ctx,
  now = new Date(),
  fetch = globalThis.fetch,
}: {
  ctx: Ctx;
  now?: Date;
  fetch?: Fetch;
}) {
  const webhook = await orgWebhook(prisma, ctx.org.id);
  if (!webhook) {
    throw new AppError("NOT_CONFIGURED", "Save a webhook URL and generate a secret first.");
  }
  const id = `test_${randomBytes(8).toString("hex")}`;
  const body = JSON.stringify({
    id,
    type: "test",
    sentAt: now.toISOString(),
    data: { orgId: ctx.org.id, message: "A test event from KeyCenter. Expiry alerts arrive as type key.expiring." },
  });
  const outcome = await postWebhook({
    url: webhook.url,
    secret: webhook.secret,
    eventId: id,
    body,
    now,
    fetch,
  });
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "settings.webhook.test",
      targetType: "organization",
      targetId: ctx.org.id,
      result: outcome.ok ? "success" : "failure",
      details: { url: auditedUrl(webhook.url), status: outcome.status ?? null, error: outcome.error ?? null },
    }),
  );
  return { ok: outcome.ok, status: outcome.status ?? null, error: outcome.error ?? null };
}
