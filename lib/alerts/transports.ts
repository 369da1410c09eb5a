import nodemailer from "nodemailer";
import type { Fetch } from "./webhook";

/** What sends an email: nodemailer's transporter, or anything with the same `sendMail`. */
export interface Mailer {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

/** How alerts leave KeyCenter. Tests pass their own (a jsonTransport mailer, a fetch). */
export interface AlertTransports {
  /** null: demo mode (no SMTP_URL): emails are written to the outbox table instead. */
  mailer: Mailer | null;
  from: string;
  fetch: Fetch;
}

export const DEFAULT_FROM = "KeyCenter <keycenter@localhost>";

/** From the environment: SMTP_URL (smtp://user:pass@host:587, smtps://...) and ALERT_EMAIL_FROM. */
export function transportsFromEnv(env: Record<string, string | undefined> = process.env): AlertTransports {
  const url = env.SMTP_URL?.trim();
  return {
    mailer: url
      ? nodemailer.createTransport({
          url,
          // Fail within a minute rather than hold a delivery for nodemailer's default ten.
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : null,
    from: env.ALERT_EMAIL_FROM?.trim() || DEFAULT_FROM,
    fetch: globalThis.fetch,
  };
}

let cached: AlertTransports | null = null;
/** The process's transports, made once (the SMTP settings are read at first use). */
export function defaultTransports(): AlertTransports {
  return (cached ??= transportsFromEnv());
}
