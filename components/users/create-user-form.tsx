"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createUserAction } from "@/app/(portal)/users/actions";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { SelectField } from "@/components/keys/create/select-field";

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
          if (r.ok) router.push("/users");
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
      <TextField
        label="Initial password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. Share it with the person over another channel."
        error={fields?.password}
      />
      <div>
        <Button type="submit" pending={pending}>
          Create user
        </Button>
      </div>
    </form>
  );
}
