"use client";

import { useRouter } from "next/navigation";
import { deactivateKeyAction } from "@/lib/actions/keys/deactivate-key";
import { deleteKeyAction } from "@/lib/actions/keys/delete-key";
import { withStepUp } from "@/components/auth/step-up";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** The delete row button and the Delete Confirmation window (guide: Delete a Key). */
export function DeleteKeyButton({
  keyId,
  compact,
  afterDelete,
}: {
  keyId: string;
  compact?: boolean;
  afterDelete?: string;
}) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={compact ? <TrashIcon /> : "Delete"}
      triggerLabel={compact ? `Delete key ${keyId}` : undefined}
      triggerVariant={compact ? "ghost" : "danger"}
      title="Delete Confirmation"
      confirmLabel="Delete"
      danger
      successMessage={`Key ${keyId} deleted`}
      onConfirm={() => withStepUp(() => deleteKeyAction({ keyId }))}
      navigate={afterDelete}
      onDone={afterDelete ? undefined : () => router.refresh()}
    >
      <p>
        Delete key <span className="font-mono">{keyId}</span>? It stops working at once for every request and cannot be
        restored.
      </p>
    </ConfirmDialog>
  );
}

/** Deactivate, confirmed with Yes (guide: Deactivate a Key). */
export function DeactivateKeyButton({ keyId }: { keyId: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger="Deactivate"
      title="Deactivate key"
      confirmLabel="Yes"
      cancelLabel="No"
      successMessage={`Key ${keyId} deactivated`}
      onConfirm={() => withStepUp(() => deactivateKeyAction({ keyId }))}
      onDone={() => router.refresh()}
    >
      <p>
        Deactivate key <span className="font-mono">{keyId}</span>? It stops working at once and stays listed as
        Inactive.
      </p>
    </ConfirmDialog>
  );
}

function TrashIcon() {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className="size-4" fill="currentColor">
      <path d="M7 2h6l1 2h4v2H2V4h4l1-2Zm-3 6h12l-1 10H5L4 8Zm4 2v6h1.5v-6H8Zm2.5 0v6H12v-6h-1.5Z" />
    </svg>
  );
}
