"use client";

import { CertificateForm } from "./certificate-form";
import { InstantForm } from "./instant-form";
import { MetaKeyOptions } from "./meta-options";

type CertificateProps = Omit<React.ComponentProps<typeof CertificateForm>, "extra">;

/**
 * A meta-capable key type's form: for portfolio and account users first the Key options
 * steps (MetaKeyOptions), then the form with the choices; for everyone else the form alone.
 * `extra` (e.g. the key being regenerated) goes with every request.
 */
export function MetaAwareForm(props: {
  metaEligible: boolean;
  extra?: Record<string, string>;
  instant?: { label: string };
  certificate?: CertificateProps;
}) {
  const render = (meta: Record<string, string>) => {
    const extra = { ...props.extra, ...meta };
    if (props.instant) return <InstantForm extra={extra} label={props.instant.label} />;
    if (props.certificate) return <CertificateForm {...props.certificate} extra={extra} />;
    return null;
  };
  if (!props.metaEligible) return render({});
  return <MetaKeyOptions>{(meta) => render(meta)}</MetaKeyOptions>;
}
