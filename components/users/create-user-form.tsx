"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createUserAction } from "@/lib/actions/users/create-user";
import { withStepUp } from "@/components/auth/step-up";
import { Button, buttonClass } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { SelectField } from "@/components/keys/create/select-field";
import { InvitationLink } from "./invitation-link";

type Result = Awaited<ReturnType<typeof createUserAction>>;

export function CreateUserForm({
  orgs,
  roles,
}: {
  orgs: { id: string; name: string }[];
  roles: { id: string; name: string }[];
}) {
  const router = useRouter();
  const [result, setResult] = useState<Result>();
  const [pending, start] = useTransition();
  const fields = result && !result.ok ? result.error.fields : undefined;
  if (result?.ok) {
    return (
      <div className="flex max-w-xl flex-col gap-4">
        <InvitationLink invitation={result.data} />
        <div className="flex gap-3">
          <Link href="/users" className={buttonClass("primary")}>
            Back to Users
          </Link>
          <Button variant="secondary" onClick={() => setResult(undefined)}>
            Create another user
          </Button>
        </div>
      </div>
    );
  }
  return (
    <form
      className="flex max-w-xl flex-col gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        start(async () => {
          const r = await withStepUp(() => createUserAction(data));
          setResult(r);
          if (r.ok) router.refresh();
        });
      }}
    >
      <FormError message={result && !result.ok && !fields ? result.error.message : undefined} />
      <TextField label="Email" name="email" type="email" autoComplete="off" error={fields?.email} />
      <TextField label="Name" name="name" autoComplete="off" error={fields?.name} />
      <SelectField
        label="Organization"
        name="orgId"
        options={orgs.map((o) => ({ value: o.id, label: `${o.id} · ${o.name}` }))}
        error={fields?.orgId}
      />
      <SelectField
        label="Role"
        name="roleId"
        options={roles.map((r) => ({ value: r.id, label: r.name }))}
        error={fields?.roleId}
      />
      <p className="text-sm text-slate-600">
        The person chooses their own password: KeyCenter shows you an invitation link once and emails it to them.
      </p>
      <div>
        <Button type="submit" pending={pending}>
          Create user
        </Button>
      </div>
    </form>
  );
}
