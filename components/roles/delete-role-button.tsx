"use client";

import { deleteRoleAction } from "@/lib/actions/roles/delete-role";
import { withStepUp } from "@/components/auth/step-up";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Deletes a custom role after confirmation; the service refuses built-in roles and roles in use. */
export function DeleteRoleButton({ roleId, name }: { roleId: string; name: string }) {
  return (
    <ConfirmDialog
      trigger="Delete"
      triggerLabel={`Delete ${name}`}
      triggerVariant="ghost"
      title="Delete role"
      confirmLabel="Delete"
      danger
      successMessage={`Role ${name} deleted`}
      onConfirm={() => withStepUp(() => deleteRoleAction({ roleId }))}
      navigate="/roles"
    >
      <p>
        Delete the role <strong>{name}</strong>? This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
