"use client";

import { useRouter } from "next/navigation";
import { setUserDisabledAction } from "@/lib/actions/users/set-user-disabled";
import { withStepUp } from "@/components/auth/step-up";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

export function DisableUserButton({ userId, email, disabled }: { userId: string; email: string; disabled: boolean }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={disabled ? "Enable" : "Disable"}
      triggerLabel={`${disabled ? "Enable" : "Disable"} ${email}`}
      title={disabled ? "Enable user" : "Disable user"}
      confirmLabel={disabled ? "Enable" : "Disable"}
      danger={!disabled}
      successMessage={`User ${email} ${disabled ? "enabled" : "disabled"}`}
      onConfirm={() => withStepUp(() => setUserDisabledAction({ userId, disabled: !disabled }))}
      onDone={() => router.refresh()}
    >
      <p>
        {disabled
          ? `${email} can sign in again.`
          : `${email} cannot sign in any more, and every open session of theirs ends at once.`}
      </p>
    </ConfirmDialog>
  );
}
