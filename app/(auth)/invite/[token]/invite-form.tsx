"use client";

import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { acceptInvitationAction } from "@/lib/actions/auth/accept-invitation";

export function InviteForm({ token, email }: { token: string; email: string }) {
  // Once it worked, the action redirects to sign-in.
  const form = useActionForm(acceptInvitationAction);
  const fields = form.fields;
  return (
    <form {...form.formProps} className="flex flex-col gap-4">
      <FormError message={Object.keys(fields).length ? undefined : form.error} />
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account the new password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <NewPasswordFields label="New password" errors={fields} />
      <Button type="submit" pending={form.pending}>
        Set password
      </Button>
    </form>
  );
}
