import { TextField } from "@/components/ui/field";

/** Choosing a password (set-up, invitation): the password and its confirmation, errors beside each. */
export function NewPasswordFields({
  label = "Password",
  errors,
}: {
  label?: string;
  errors?: { password?: string; confirmPassword?: string };
}) {
  return (
    <>
      <TextField
        label={label}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters."
        error={errors?.password}
      />
      <TextField
        label="Confirm password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        error={errors?.confirmPassword}
      />
    </>
  );
}
