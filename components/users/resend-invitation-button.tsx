"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { resendInvitationAction } from "@/app/(portal)/users/actions";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { InvitationLink, type SentInvitation } from "./invitation-link";

/** For someone who has not set their password yet: a new link (the earlier ones stop working). */
export function ResendInvitationButton({ userId, email }: { userId: string; email: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState<SentInvitation>();
  return (
    <span className="inline-flex flex-col items-end gap-2">
      <Button
        variant="secondary"
        aria-label={`Send a new invitation to ${email}`}
        pending={pending}
        onClick={() =>
          start(async () => {
            setError(undefined);
            const r = await withStepUp(() => resendInvitationAction({ userId }));
            if (!r.ok) return setError(r.error.message);
            setSent(r.data);
            router.refresh();
          })
        }
      >
        New invitation
      </Button>
      <FormError message={error} />
      {sent && <InvitationLink invitation={sent} />}
    </span>
  );
}
