"use client";

import { useRouter } from "next/navigation";
import { setMetaKeysEnabledAction } from "@/lib/actions/settings/set-meta-keys-enabled";
import { withStepUp } from "@/components/auth/step-up";
import { ActionButton } from "@/components/ui/action-button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** The meta-key feature switch: turning it off is confirmed, with what it stops. */
/** `mids`: how many merchant IDs the active meta keys serve, in words (lib/orgs/settings.ts midCountText). */
export function MetaSwitch({ enabled, keys, mids }: { enabled: boolean; keys: number; mids: string }) {
  const router = useRouter();
  if (!enabled) {
    return (
      <ActionButton
        label="Turn meta keys on"
        variant="primary"
        success="Meta keys turned on"
        run={() => withStepUp(() => setMetaKeysEnabledAction({ enabled: true }))}
      />
    );
  }
  return (
    <ConfirmDialog
      trigger="Turn meta keys off"
      triggerVariant="danger"
      title="Turn off meta keys"
      confirmLabel="Turn off"
      danger
      successMessage="Meta keys turned off"
      onConfirm={() => withStepUp(() => setMetaKeysEnabledAction({ enabled: false }))}
      onDone={() => router.refresh()}
    >
      <p>
        Nobody here can create meta keys while the feature is off, and the gateway refuses transactions signed with
        them:{" "}
        <strong>
          {keys} active meta key{keys === 1 ? "" : "s"} serving {mids}
        </strong>{" "}
        stop working until it is turned on again.
      </p>
    </ConfirmDialog>
  );
}
