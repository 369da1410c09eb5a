"use client";

import { signCheckoutAction } from "@/lib/actions/live-console/sign-checkout";
import { Button } from "@/components/ui/button";
import { FormError, SelectField, TextField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { useActionForm } from "@/components/ui/use-action-form";

const TRANSACTION_TYPES = [
  { value: "sale", label: "sale" },
  { value: "authorization", label: "authorization" },
];

export function CheckoutForm({ profiles }: { profiles: { id: string; name: string }[] }) {
  const form = useActionForm(signCheckoutAction);
  const { fields } = form;
  const signed = form.data?.fields;
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <form {...form.formProps} className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="font-semibold">Merchant form</h2>
        <SelectField
          label="Security Profile"
          name="profileId"
          options={profiles.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }))}
          hint={profiles.length === 0 ? "This organization has no security profiles." : undefined}
          error={fields.profileId}
        />
        <TextField label="Access Key" name="accessKey" autoComplete="off" error={fields.accessKey} />
        <TextField label="Secret Key" name="secretKey" type="password" autoComplete="off" error={fields.secretKey} />
        <SelectField label="Transaction Type" name="transactionType" options={TRANSACTION_TYPES} />
        <TextField label="Amount" name="amount" defaultValue="100.00" error={fields.amount} />
        <TextField label="Currency" name="currency" defaultValue="USD" error={fields.currency} />
        <TextField
          label="Reference Number"
          name="referenceNumber"
          defaultValue="ORDER-1001"
          error={fields.referenceNumber}
        />
        {/* The form-level message only when no field says what is wrong. */}
        <FormError message={Object.keys(fields).length ? undefined : form.error} />
        <div>
          <Button type="submit" pending={form.pending}>
            Sign fields
          </Button>
        </div>
      </form>
      <Panel id="signed-fields" title="Signed fields">
        {!signed ? (
          <p className="text-sm text-slate-500">Sign the form to see the fields posted to /pay.</p>
        ) : (
          <form method="post" action="/pay" className="flex flex-col gap-3">
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-xs">
              {Object.entries(signed).map(([name, value]) => (
                <div key={name} className="contents">
                  <dt className="font-mono text-slate-500">{name}</dt>
                  <dd className="font-mono break-all">{value}</dd>
                </div>
              ))}
            </dl>
            {Object.entries(signed).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <div>
              <Button type="submit">Pay</Button>
            </div>
          </form>
        )}
      </Panel>
    </div>
  );
}
