"use client";

import { useRouter } from "next/navigation";
import { resetSecondFactorAction } from "@/lib/actions/users/reset-second-factor";
import { withStepUp } from "@/components/auth/step-up";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

export function ResetSecondFactorButton({ userId, email }: { userId: string; email: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger="Reset second factor"
      triggerLabel={`Reset second factor of ${email}`}
      title="Reset second factor"
      confirmLabel="Reset"
      danger
      successMessage={`Second factor of ${email} reset`}
      onConfirm={() => withStepUp(() => resetSecondFactorAction({ userId }))}
      onDone={() => router.refresh()}
    >
      <p>
        {email} signs in with the password alone until they set up two-step verification again (at once, if their
        organization requires it). Their recovery codes stop working.
      </p>
    </ConfirmDialog>
  );
}
