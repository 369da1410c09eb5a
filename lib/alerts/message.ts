import { ENVIRONMENT_LABEL, formatDate } from "@/lib/format";
import type { Environment, KeyType } from "@/lib/generated/prisma/enums";
import { keyType } from "@/lib/keys/types";
import { publicUrl } from "@/lib/public-url";

/** What an alert says, fixed when it is raised: the same words by email, webhook and in-app. */
export interface AlertFacts {
  id: string;
  orgId: string;
  keyId: string;
  keyName: string;
  keyType: KeyType;
  environment: Environment;
  expiresAt: Date;
  thresholdDays: number;
  daysLeft: number;
  metaKey: boolean;
  midCount: number | null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function alertTitle(a: AlertFacts): string {
  return `${a.metaKey ? "Meta key" : "Key"} "${a.keyName}" expires in ${plural(a.daysLeft, "day")}`;
}

export function alertBody(a: AlertFacts): string {
  const env = ENVIRONMENT_LABEL[a.environment];
  const what = `${keyType(a.keyType).label} key ${a.keyId} of ${a.orgId} (${env}) expires on ${formatDate(a.expiresAt)}.`;
  if (a.metaKey) {
    return (
      `${what} It is a meta key serving ${plural(a.midCount ?? 0, "merchant ID")}: when it expires, every ` +
      `transaction of those merchant IDs signed with it fails. Regenerate it (Key Management > Regenerate meta ` +
      `key) before then; the new key keeps the assignments.`
    );
  }
  return `${what} Create a new key and switch to it before then: the key stops working when it expires.`;
}

/** Key Information for the alert's key, on the public URL (lib/public-url.ts). */
const keyUrl = (a: AlertFacts) => publicUrl(`/keys/${encodeURIComponent(a.keyId)}`);

export function alertEmail(a: AlertFacts): { subject: string; text: string } {
  return {
    subject: `[KeyCenter] ${alertTitle(a)}`,
    text: [
      alertBody(a),
      "",
      `Key Information: ${keyUrl(a)}`,
      "",
      `You receive this because you administer ${a.orgId} in KeyCenter.`,
    ].join("\n"),
  };
}

/** The webhook event (its JSON is signed as sent). `sentAt` changes with each attempt; `id` never does. */
export function alertEvent(a: AlertFacts, sentAt: Date) {
  return {
    id: a.id,
    type: "key.expiring" as const,
    sentAt: sentAt.toISOString(),
    data: {
      orgId: a.orgId,
      keyId: a.keyId,
      keyName: a.keyName,
      keyType: a.keyType,
      environment: a.environment,
      expiresAt: a.expiresAt.toISOString(),
      thresholdDays: a.thresholdDays,
      daysLeft: a.daysLeft,
      metaKey: a.metaKey,
      ...(a.metaKey ? { midCount: a.midCount ?? 0 } : {}),
      title: alertTitle(a),
      message: alertBody(a),
      keyUrl: keyUrl(a),
    },
  };
}
