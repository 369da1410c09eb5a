"use client";

import { useRouter } from "next/navigation";
import { setRequireMfaAction } from "@/lib/actions/settings/set-require-mfa";
import { withStepUp } from "@/components/auth/step-up";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Require two-step verification (A2) for the org and every org below it; both ways confirmed. */
export function MfaRequirement({ orgId, required }: { orgId: string; required: boolean }) {
  const router = useRouter();
  if (required) {
    return (
      <ConfirmDialog
        trigger="Stop requiring two-step verification"
        triggerVariant="secondary"
        title="Stop requiring two-step verification"
        confirmLabel="Stop requiring"
        danger
        successMessage="Two-step verification is no longer required"
        onConfirm={() => withStepUp(() => setRequireMfaAction({ required: false }))}
        onDone={() => router.refresh()}
      >
        <p>
          People in <span className="font-mono">{orgId}</span> and below it will again be able to sign in with a
          password alone, unless an organization above requires two-step verification. Second factors already set up
          stay on.
        </p>
      </ConfirmDialog>
    );
  }
  return (
    <ConfirmDialog
      trigger="Require two-step verification"
      title="Require two-step verification"
      confirmLabel="Require"
      successMessage="Two-step verification is now required"
      onConfirm={() => withStepUp(() => setRequireMfaAction({ required: true }))}
      onDone={() => router.refresh()}
    >
      <p>
        Everyone in <span className="font-mono">{orgId}</span> and in the organizations below it who has no second
        factor yet — you too — is sent to Account &gt; Security to set one up before they can do anything else.
      </p>
    </ConfirmDialog>
  );
}
