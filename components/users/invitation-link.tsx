"use client";

import { CopyField } from "@/components/keys/create/one-time-result";
import { formatDate } from "@/lib/format";

export interface SentInvitation {
  email: string;
  invitationUrl: string;
  /** ISO time. */
  expiresAt: string;
  emailed: "sent" | "outbox" | "failed";
}

const DELIVERY: Record<SentInvitation["emailed"], (email: string) => string> = {
  sent: (email) => `It was also emailed to ${email}.`,
  outbox: () => "It is also on the Outbox page (Notifications > Outbox): no SMTP server is set.",
  failed: () => "The email could not be sent: give the link to the person over another channel.",
};

/** A new invitation's link, shown this once: the person opens it to choose their password. */
export function InvitationLink({ invitation }: { invitation: SentInvitation }) {
  return (
    <section
      aria-label={`Invitation for ${invitation.email}`}
      className="flex flex-col gap-3 rounded-lg border border-emerald-200 bg-white p-4 text-left"
    >
      <p role="status" className="font-medium text-emerald-800">
        {invitation.email} is invited. They choose their own password with this link.
      </p>
      <CopyField label="Invitation link" value={invitation.invitationUrl} secret />
      <p className="text-sm text-slate-700">
        This is the only time KeyCenter shows the link. {DELIVERY[invitation.emailed](invitation.email)} It works once,
        until {formatDate(new Date(invitation.expiresAt))}; until then the person cannot sign in.
      </p>
    </section>
  );
}
