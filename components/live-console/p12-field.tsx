import { FileField } from "@/components/ui/field";

/** A labelled .p12 file input with its hint and error beside it. */
export function P12Field(props: { label: string; name: string; hint?: string; error?: string }) {
  return <FileField {...props} accept=".p12,application/x-pkcs12" />;
}
