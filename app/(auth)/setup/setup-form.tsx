"use client";

import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { SelectField } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { setupAction } from "@/lib/actions/auth/set-up";

const ORG_TYPES = [
  { value: "portfolio", label: "Portfolio" },
  { value: "account", label: "Merchant account" },
  { value: "merchant", label: "Transacting merchant (MID)" },
];

export function SetupForm() {
  // Once it worked, the action redirects to sign-in.
  const form = useActionForm(setupAction);
  const fields = form.fields;
  return (
    <form {...form.formProps} className="flex flex-col gap-4">
      <FormError message={Object.keys(fields).length ? undefined : form.error} />
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Organization</legend>
        <TextField
          label="Organization ID"
          name="orgId"
          autoComplete="off"
          required
          hint="The ID people type and see, e.g. portfolioabc: lowercase letters, digits and underscores."
          error={fields.orgId}
        />
        <TextField label="Organization name" name="orgName" autoComplete="organization" error={fields.orgName} />
        <SelectField label="Organization type" name="orgType" options={ORG_TYPES} error={fields.orgType} />
      </fieldset>
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-sm font-semibold text-slate-900">First Administrator</legend>
        <TextField label="Your name" name="name" autoComplete="name" error={fields.name} />
        <TextField label="Email" name="email" type="email" autoComplete="username" required error={fields.email} />
        <NewPasswordFields errors={fields} />
      </fieldset>
      <Button type="submit" pending={form.pending}>
        Create administrator
      </Button>
    </form>
  );
}
