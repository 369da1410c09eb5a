"use client";

import { CertificateForm } from "./certificate-form";
import { InstantForm, useInstantKey } from "./instant-form";
import { MetaKeyOptions } from "./meta-options";

type CertificateProps = Omit<React.ComponentProps<typeof CertificateForm>, "extra">;

/**
 * A meta-capable key type's form: for portfolio and account users first the Key options
 * steps (MetaKeyOptions), then the form with the choices; for everyone else the form alone.
 * `extra` (e.g. the key being regenerated) goes with every request.
 */
export function MetaAwareForm(props: {
  metaEligible: boolean;
  /** The key can only be a meta key (a portfolio or account user's REST – Shared Secret). */
  metaRequired?: boolean;
  extra?: Record<string, string>;
  instant?: { label: string };
  certificate?: CertificateProps;
}) {
  const instant = useInstantKey();
  const render = (meta: Record<string, string>) => {
    const extra = { ...props.extra, ...meta };
    if (props.instant) return <InstantForm extra={extra} label={props.instant.label} state={instant} />;
    if (props.certificate) return <CertificateForm {...props.certificate} extra={extra} />;
    return null;
  };
  if (!props.metaEligible) return render({});
  // A key without a form (REST – Shared Secret) is made by the meta-key choice's last click, as in the guide.
  return (
    <MetaKeyOptions
      metaRequired={props.metaRequired}
      onChoose={props.instant ? (meta) => instant.generate({ ...props.extra, ...meta }) : undefined}
    >
      {(meta) => render(meta)}
    </MetaKeyOptions>
  );
}
