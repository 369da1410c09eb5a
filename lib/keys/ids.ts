import { randomInt, randomUUID, randomBytes } from "node:crypto";

/**
 * Key IDs people see and search. Every key's ID is unique across types (it is the primary key).
 * - Certificates (REST, Simple Order, Response MLE): 19 decimal digits, like the gateway's
 *   serial numbers. The certificate's subject serialNumber is this ID and its X.509 serial is
 *   the hex of the ID's ASCII text (≤ 20 octets), so the guide's openssl command, which
 *   hex-decodes the X.509 serial into the P12 friendly name, gets the key ID back.
 * - Shared secrets, PGP and MLE public keys: a UUID.
 * - Secure Acceptance: the access key, 32 hex characters.
 */
export function certificateKeyId(): string {
  let id = String(randomInt(1, 10));
  while (id.length < 19) id += String(randomInt(0, 10));
  return id;
}

export function uuidKeyId(): string {
  return randomUUID();
}

export function accessKeyId(): string {
  return randomBytes(16).toString("hex");
}
