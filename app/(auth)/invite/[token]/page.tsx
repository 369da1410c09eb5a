import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { FormError } from "@/components/ui/field";
import { invitationMessage, invitationState } from "@/lib/auth/invitations";
import { formatDate } from "@/lib/format";
import { InviteForm } from "./invite-form";

export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer" };

/** /invite/<token>: the invited person chooses their password, once. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await invitationState(token);
  if (invitation.state !== "valid") {
    return (
      <AuthCard title="Set your password">
        <FormError message={invitationMessage(invitation.state)} />
        <Link href="/sign-in" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
          Go to sign-in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Set your password">
      <p className="mb-6 text-sm text-slate-700">
        Welcome, {invitation.name}. Choose the password for <strong>{invitation.email}</strong> (organization{" "}
        <span className="font-mono">{invitation.orgId}</span>). This link works once, until{" "}
        {formatDate(invitation.expiresAt)}.
      </p>
      <InviteForm token={token} email={invitation.email} />
    </AuthCard>
  );
}
