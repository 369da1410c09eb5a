"use client";

import { useActionState } from "react";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { TransitionForm } from "@/components/auth/transition-form";
import { SelectField } from "@/components/keys/create/select-field";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { setupAction } from "@/lib/actions/auth/set-up";

const ORG_TYPES = [
  { value: "portfolio", label: "Portfolio" },
  { value: "account", label: "Merchant account" },
  { value: "merchant", label: "Transacting merchant (MID)" },
];

export function SetupForm() {
  const [state, action, pending] = useActionState(setupAction, null);
  const fields = state && !state.ok ? state.error.fields : undefined;
  return (
    <TransitionForm action={action}>
      <FormError message={state && !state.ok && !fields ? state.error.message : undefined} />
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Organization</legend>
        <TextField
          label="Organization ID"
          name="orgId"
          autoComplete="off"
          required
          hint="The ID people type and see, e.g. portfolioabc: lowercase letters, digits and underscores."
          error={fields?.orgId}
        />
        <TextField label="Organization name" name="orgName" autoComplete="organization" error={fields?.orgName} />
        <SelectField label="Organization type" name="orgType" options={ORG_TYPES} error={fields?.orgType} />
      </fieldset>
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-sm font-semibold text-slate-900">First Administrator</legend>
        <TextField label="Your name" name="name" autoComplete="name" error={fields?.name} />
        <TextField label="Email" name="email" type="email" autoComplete="username" required error={fields?.email} />
        <NewPasswordFields errors={fields} />
      </fieldset>
      <Button type="submit" pending={pending}>
        Create administrator
      </Button>
    </TransitionForm>
  );
}
