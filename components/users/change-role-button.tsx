"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { setUserRoleAction } from "@/lib/actions/users/set-user-role";
import { withStepUp } from "@/components/auth/step-up";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** Change role: only roles the caller may give are offered (lib/auth/grants.ts). */
export function ChangeRoleButton({
  userId,
  email,
  roleId,
  roles,
}: {
  userId: string;
  email: string;
  roleId: string;
  roles: { id: string; name: string }[];
}) {
  const router = useRouter();
  const id = useId();
  const [chosen, setChosen] = useState(roleId);
  return (
    <ConfirmDialog
      trigger="Change role"
      triggerLabel={`Change role of ${email}`}
      title="Change role"
      confirmLabel="Change role"
      successMessage={`Role of ${email} changed to ${roles.find((r) => r.id === chosen)?.name ?? "the chosen role"}`}
      onConfirm={() => withStepUp(() => setUserRoleAction({ userId, roleId: chosen }))}
      onDone={() => router.refresh()}
    >
      <div className="flex flex-col gap-2">
        <p>
          {email} gets the permissions of the new role at their next request. You can only give roles whose permissions
          you have.
        </p>
        <label htmlFor={id} className="font-medium text-slate-700">
          Role
        </label>
        <select
          id={id}
          value={chosen}
          onChange={(e) => setChosen(e.target.value)}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          {!roles.some((r) => r.id === roleId) && <option value={roleId}>(current role)</option>}
          {roles.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
    </ConfirmDialog>
  );
}
