import type { Metadata } from "next";
import { CheckoutForm } from "@/components/live-console/checkout-form";
import { requirePageSession } from "@/lib/auth/page";
import { securityProfilesOf } from "@/lib/orgs/settings";

export const metadata: Metadata = { title: "Secure Acceptance checkout" };

export default async function CheckoutPage() {
  const session = await requirePageSession("transactions.view");
  const profiles = await securityProfilesOf(session.actingOrg.id);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Secure Acceptance checkout</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        A sample merchant form for {session.actingOrg.id}: enter a Secure Acceptance access key and its secret key
        (shown once when the key was created), fill in the payment and click Sign fields. The fields are signed with
        HMAC-SHA256 as your server would sign them; the secret key is used for this signature only and never stored.
        Then click Pay to post the signed form to this KeyCenter&apos;s test checkout.
      </p>
      <CheckoutForm profiles={profiles} />
    </div>
  );
}
