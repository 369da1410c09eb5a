/**
 * One payment with the official Cybersource REST SDK (cybersource-rest-client), in a process of
 * its own so that NODE_EXTRA_CA_CERTS (Caddy's internal CA) counts: nothing here turns TLS
 * verification off. The merchant configuration comes in SDK_CONFIG (JSON); the SDK sends to
 * https://<runEnvironment> and signs that host. Prints one JSON line: { status, data, error }.
 */
import { createRequire } from "node:module";

const cybersource = createRequire(import.meta.url)("cybersource-rest-client");

const PAYMENT = {
  clientReferenceInformation: { code: "deploy-test" },
  processingInformation: { commerceIndicator: "internet" },
  paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
  orderInformation: {
    amountDetails: { totalAmount: "102.21", currency: "USD" },
    billTo: { firstName: "John", lastName: "Doe", country: "US", email: "test@cybs.com" },
  },
};

const config = { logConfiguration: { enableLog: false }, ...JSON.parse(process.env.SDK_CONFIG ?? "{}") };
const api = new cybersource.PaymentsApi(config, new cybersource.ApiClient());
api.createPayment(PAYMENT, (error, data, response) => {
  const status = response?.status ?? error?.status ?? 0;
  const problem = error ? String(error.message ?? error).slice(0, 500) : null;
  process.stdout.write(`\n${JSON.stringify({ status, data, error: problem })}\n`);
});
