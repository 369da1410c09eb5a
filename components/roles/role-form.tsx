"use client";

import { useRouter } from "next/navigation";
import { createRoleAction } from "@/lib/actions/roles/create-role";
import { updateRoleAction } from "@/lib/actions/roles/update-role";
import { Button } from "@/components/ui/button";
import { FormError, TextField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { ALL_PERMISSIONS, PERMISSION_GROUPS, type Permission } from "@/lib/auth/permissions";

/**
 * Edit User Role (and + Create role): name, description, the permissions grouped as
 * PERMISSION_GROUPS, and Save. Read-only for built-in roles.
 */
export function RoleForm({
  roleId,
  initial,
  readOnly = false,
  held,
}: {
  /** Absent: a new role. */
  roleId?: string;
  initial: { name: string; description: string; permissions: Permission[] };
  readOnly?: boolean;
  /** The caller's own permissions: only these can be given (lib/auth/grants.ts). */
  held: Permission[];
}) {
  const router = useRouter();
  const form = useActionForm((data: FormData) => (roleId ? updateRoleAction(data) : createRoleAction(data)), {
    success: (_, data) => `Role ${String(data.get("name") ?? "").trim()} ${roleId ? "saved" : "created"}`,
    navigate: (data) => (roleId ? undefined : `/roles/${data.roleId}?created=1`),
    onSuccess: () => roleId && router.refresh(),
  });
  const { fields, error } = form;
  const saved = Boolean(roleId && form.data);
  const granted = new Set<string>(initial.permissions);
  const givable = new Set<string>(held);

  return (
    <form
      {...(readOnly ? { onSubmit: (e: React.FormEvent) => e.preventDefault() } : form.formProps)}
      className="flex flex-col gap-6"
    >
      {roleId && <input type="hidden" name="roleId" value={roleId} />}
      <div className="grid max-w-2xl grid-cols-1 gap-4">
        <TextField
          label="Role name"
          name="name"
          defaultValue={initial.name}
          required
          maxLength={80}
          readOnly={readOnly}
          error={fields.name}
        />
        <TextField
          label="Description"
          name="description"
          defaultValue={initial.description}
          maxLength={500}
          readOnly={readOnly}
          error={fields.description}
        />
      </div>

      <section aria-labelledby="permissions-heading" className="flex flex-col gap-4">
        <h2 id="permissions-heading" className="text-lg font-semibold">
          Permissions
        </h2>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          {PERMISSION_GROUPS.map((group) => (
            <fieldset key={group.group} className="rounded-lg border border-slate-200 bg-white p-4">
              <legend className="px-1">
                <h3 className="text-base font-semibold">{group.group}</h3>
              </legend>
              <ul className="mt-2 flex flex-col gap-2">
                {group.permissions.map((p) => (
                  <li key={p.id}>
                    <label className="flex items-center gap-2 text-sm">
                      <input
                        type="checkbox"
                        name="permissions"
                        value={p.id}
                        defaultChecked={granted.has(p.id)}
                        disabled={readOnly || !givable.has(p.id)}
                        aria-describedby={!readOnly && !givable.has(p.id) ? "not-yours-note" : undefined}
                        className="size-4"
                      />
                      {p.label}
                      {!readOnly && !givable.has(p.id) && <span className="text-slate-500">(not yours to give)</span>}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
        </div>
        {!readOnly && held.length < ALL_PERMISSIONS.length && (
          <p id="not-yours-note" className="text-sm text-slate-600">
            You can only give permissions you have yourself.
          </p>
        )}
        {fields.permissions && <p className="text-sm text-red-700">{fields.permissions}</p>}
      </section>

      <FormError message={error} />
      {saved && (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          The role has been saved.
        </p>
      )}
      {!readOnly && (
        <div>
          <Button type="submit" pending={form.pending}>
            Save
          </Button>
        </div>
      )}
    </form>
  );
}
