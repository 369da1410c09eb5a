"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { createUserAction } from "@/lib/actions/users/create-user";
import { Button, buttonClass } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { SelectField } from "@/components/ui/field";
import { InvitationLink } from "./invitation-link";

export function CreateUserForm({
  orgs,
  roles,
}: {
  orgs: { id: string; name: string }[];
  roles: { id: string; name: string }[];
}) {
  const router = useRouter();
  const form = useActionForm(createUserAction, {
    success: (invitation) => `User ${invitation.email} created`,
    onSuccess: () => router.refresh(),
  });
  const { fields } = form;
  if (form.data) {
    return (
      <div className="flex max-w-xl flex-col gap-4">
        <InvitationLink invitation={form.data} />
        <div className="flex gap-3">
          <Link href="/users" className={buttonClass("primary")}>
            Back to Users
          </Link>
          <Button variant="secondary" onClick={form.reset}>
            Create another user
          </Button>
        </div>
      </div>
    );
  }
  return (
    <form {...form.formProps} className="flex max-w-xl flex-col gap-4">
      <FormError message={form.error} />
      <TextField label="Email" name="email" type="email" autoComplete="off" error={fields.email} />
      <TextField label="Name" name="name" autoComplete="off" error={fields.name} />
      <SelectField
        label="Organization"
        name="orgId"
        options={orgs.map((o) => ({ value: o.id, label: `${o.id} · ${o.name}` }))}
        error={fields.orgId}
      />
      <SelectField
        label="Role"
        name="roleId"
        options={roles.map((r) => ({ value: r.id, label: r.name }))}
        error={fields.roleId}
      />
      <p className="text-sm text-slate-600">
        The person chooses their own password: KeyCenter shows you an invitation link once and emails it to them.
      </p>
      <div>
        <Button type="submit" pending={form.pending}>
          Create user
        </Button>
      </div>
    </form>
  );
}
