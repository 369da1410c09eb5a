"use client";

import { useActionState } from "react";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { TransitionForm } from "@/components/auth/transition-form";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { acceptInvitationAction } from "@/lib/actions/auth/accept-invitation";

export function InviteForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState(acceptInvitationAction, null);
  const fields = state && !state.ok ? state.error.fields : undefined;
  return (
    <TransitionForm action={action}>
      <FormError message={state && !state.ok && !fields ? state.error.message : undefined} />
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account the new password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <NewPasswordFields label="New password" errors={fields} />
      <Button type="submit" pending={pending}>
        Set password
      </Button>
    </TransitionForm>
  );
}
