"use client";

import { resendInvitationAction } from "@/lib/actions/users/resend-invitation";
import { withStepUp } from "@/components/auth/step-up";
import { ActionButton } from "@/components/ui/action-button";
import { InvitationLink } from "./invitation-link";

/** For someone who has not set their password yet: a new link (the earlier ones stop working). */
export function ResendInvitationButton({ userId, email }: { userId: string; email: string }) {
  return (
    <ActionButton
      label="New invitation"
      ariaLabel={`Send a new invitation to ${email}`}
      align="end"
      run={() => withStepUp(() => resendInvitationAction({ userId }))}
      done={(invitation) => <InvitationLink invitation={invitation} />}
    />
  );
}
