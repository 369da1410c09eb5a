import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { sealSecret } from "@/lib/crypto/secrets";
import { prisma } from "@/lib/db";
import type { ServiceContext } from "@/lib/context";
import { updateOrgSettings } from "@/lib/orgs/settings";
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
 * transaction (updateOrgSettings); the audit record names what changed (a URL by its origin), never the secret.
 */
type Ctx = Pick<ServiceContext, "actor" | "org">;

/** What an audit record says of a webhook URL: its origin only, since a path may carry a secret. */
function auditedUrl(url: string | null | undefined): string | null {
  return url ? new URL(url).origin : null;
}

export async function setWebhookUrl({ ctx, url }: { ctx: Ctx; url: string }) {
  const checked = checkWebhookUrl(url);
  if (!checked.ok) throw new AppError("INVALID_URL", checked.message, { url: checked.message });
  await updateOrgSettings(ctx, "settings.webhook.url", { webhookUrl: checked.url }, (before) => ({
    from: auditedUrl(before.webhookUrl),
    to: auditedUrl(checked.url),
  }));
  return { url: checked.url };
}

/** A new secret replaces the old one at once; the plaintext is returned this once only. */
export async function createWebhookSecret({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }) {
  const secret = generateWebhookSecret();
  const sealed = new Uint8Array(sealSecret(secret, webhookSecretContext(ctx.org.id)));
  await updateOrgSettings(
    ctx,
    "settings.webhook.secret",
    { webhookSecret: sealed, webhookSecretCreatedAt: now },
    (before) => ({ replaced: Boolean(before.webhookSecret) }),
  );
  return { secret };
}

export async function removeWebhook({ ctx }: { ctx: Ctx }) {
  await updateOrgSettings(
    ctx,
    "settings.webhook.remove",
    { webhookUrl: null, webhookSecret: null, webhookSecretCreatedAt: null },
    (before) => ({ url: auditedUrl(before.webhookUrl) }),
  );
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
