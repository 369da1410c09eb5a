import type { Environment, KeyType } from "@/lib/generated/prisma/enums";
import type { Permission } from "@/lib/auth/permissions";

/**
 * How the Create Key page creates a key of the type after **Generate key**:
 * instant — created at once, the secret shown once (REST – Shared Secret);
 * certificate — **Download key** → **Set a Password** → .p12, or paste a CSR / certificate;
 * secure-acceptance — Key Name, Signature Version, Signature Method, Security Profile;
 * public-key — paste a public key (PGP, Token Management MLE);
 * none — cannot be created here.
 */
export type CreateForm = "instant" | "certificate" | "secure-acceptance" | "public-key" | "none";

/**
 * How the test gateway authenticates a request: HTTP Signature, a JWT by algorithm, a Simple
 * Order XML Signature, a SOAP Toolkit UsernameToken, a Secure Acceptance signed form.
 */
export type GatewayScheme =
  "http_signature" | "jwt-RS256" | "jwt-HS256" | "simple_order" | "soap_toolkit" | "secure_acceptance";

/**
 * The key-type registry: everything KeyCenter knows about a kind of key, in one entry.
 * Filters, forms, the gateway and the tests read this; nothing else switches on key types.
 * Names follow the guide ("Creating and Using Security Keys User Guide").
 */
export interface KeyTypeSpec {
  type: KeyType;
  /** The guide's name, as on the Create Key page. */
  label: string;
  /** The name in the Key Type search filter and the Search Results table. */
  searchLabel: string;
  /** Lifetime from creation; the key is Inactive from then on. */
  lifetimeMonths: number;
  /** Deactivate is offered (guide: PGP, both MLE kinds, Secure Acceptance). */
  deactivatable: boolean;
  /** May be created as a meta key by portfolio and account users. */
  metaCapable: boolean;
  /** Included in Key Type "All" (All leaves out ISV Bridge, MLE, MPOS, PGP, Secure Acceptance). */
  inAll: boolean;
  /** Can be created in KeyCenter (ISV Bridge and MPOS keys are only found by search). */
  creatable: boolean;
  /** No new keys from these dates on (ISO dates, per environment); existing keys stay listed. */
  retiredFrom?: Partial<Record<Environment, string>>;
  /** What the guide says to use instead, once retired. */
  retiredNote?: string;
  /** One line for the Create Key page. */
  description: string;
  /** The Create Key page's form for this type. */
  createForm: CreateForm;
  /** For CSR / own-certificate / public-key input: what the text box asks for. */
  pasteLabel?: string;
  /** Certificate types: the password window's title, as the guide names it. */
  passwordTitle?: string;
  /** The guide's label of the button that creates it, where it differs from "Generate key". */
  createButton?: string;
  /** A new key must be named (else it is "<label> <date>"). */
  nameRequired?: boolean;
  /**
   * Beyond keys.create, keys.deactivate and keys.delete: what managing this type also needs
   * (`keyPermissions`; checked by the creation pipeline and by deactivate and delete).
   */
  extraPermission?: Permission;
  /** The gateway schemes a key of this type authenticates. */
  gatewaySchemes?: GatewayScheme[];
  /** The gateway encrypts API responses to a key of this type (`v-c-response-mle-kid`). */
  responseMle?: boolean;
  /** Certificate types: downloads are named `<org id>_<fileTag>.p12` (and `.pem`), one name per type. */
  fileTag?: string;
  /** May be created with "Key Management API" checked: such a key may manage keys through the API (issue 15). */
  kmsApi?: boolean;
  /**
   * Portfolio and account users create it only as a meta key (a REST – Shared Secret of theirs
   * would act for no transacting MID): Create Key says so before Generate key and checks the box.
   */
  metaOnlyAboveMerchant?: boolean;
  /** Key Information shows the key's details in a section of their own with this heading, not in the key's list. */
  detailsHeading?: string;
}

export const KEY_TYPES: readonly KeyTypeSpec[] = [
  {
    type: "REST_CERTIFICATE",
    label: "REST – Certificate",
    searchLabel: "REST - Certificate",
    lifetimeMonths: 36,
    deactivatable: false,
    metaCapable: true,
    inAll: true,
    creatable: true,
    description: "A P12 certificate for JSON Web Token authentication, or a certificate for your own CSR.",
    createForm: "certificate",
    pasteLabel: "Certificate Signing Request (PEM)",
    passwordTitle: "Set a Password",
    createButton: "Generate key",
    gatewaySchemes: ["jwt-RS256"],
    fileTag: "rest",
    kmsApi: true,
  },
  {
    type: "REST_SHARED_SECRET",
    label: "REST – Shared Secret",
    searchLabel: "REST - Shared Secret",
    lifetimeMonths: 36,
    deactivatable: false,
    metaCapable: true,
    inAll: true,
    creatable: true,
    description: "A key ID and shared secret for HTTP Signature authentication.",
    createForm: "instant",
    gatewaySchemes: ["http_signature", "jwt-HS256"],
    kmsApi: true,
    metaOnlyAboveMerchant: true,
  },
  {
    type: "REST_RESPONSE_MLE",
    label: "REST – API Response MLE",
    searchLabel: "REST-API Response MLE",
    lifetimeMonths: 36,
    deactivatable: true,
    metaCapable: false,
    inAll: false,
    creatable: true,
    description: "A certificate the gateway encrypts API responses to (message-level encryption).",
    createForm: "certificate",
    pasteLabel: "Your certificate (PEM)",
    passwordTitle: "Set a Password",
    createButton: "Generate key",
    responseMle: true,
    fileTag: "response_mle",
  },
  {
    type: "PGP",
    label: "PGP",
    searchLabel: "PGP",
    lifetimeMonths: 36,
    deactivatable: true,
    metaCapable: false,
    inAll: false,
    creatable: true,
    description: "Your PGP public key: reports and Account Updater files are encrypted to it.",
    createForm: "public-key",
    pasteLabel: "PGP public key (ASCII-armored)",
    createButton: "Create key",
    extraPermission: "pgp.settings",
    detailsHeading: "PGP key",
  },
  {
    type: "SECURE_ACCEPTANCE",
    label: "Secure Acceptance",
    searchLabel: "Secure Acceptance",
    lifetimeMonths: 24,
    deactivatable: true,
    metaCapable: false,
    inAll: false,
    creatable: true,
    description: "An access key and secret key that sign Secure Acceptance checkout requests.",
    createForm: "secure-acceptance",
    nameRequired: true,
    gatewaySchemes: ["secure_acceptance"],
  },
  {
    type: "SIMPLE_ORDER",
    label: "Simple Order API",
    searchLabel: "Simple Order API",
    lifetimeMonths: 36,
    deactivatable: false,
    metaCapable: true,
    inAll: true,
    creatable: true,
    description: "A P12 certificate that signs Simple Order API requests.",
    createForm: "certificate",
    passwordTitle: "Set Password",
    createButton: "Generate Key",
    gatewaySchemes: ["simple_order"],
    fileTag: "simple_order",
  },
  {
    type: "SOAP_TOOLKIT",
    label: "SOAP Toolkit",
    searchLabel: "SOAP Toolkit",
    lifetimeMonths: 36,
    deactivatable: false,
    metaCapable: true,
    inAll: true,
    creatable: true,
    retiredFrom: { TEST: "2025-07-16", PRODUCTION: "2025-08-13" },
    description: "No longer supported: use a Simple Order API key instead.",
    createForm: "none",
    retiredNote:
      "If you are integrating to the Simple Order API, you can use the compliant certificate-based Simple Order key. If your payment system currently uses the SOAP toolkit key, transition it to the certificate-based Simple Order API key (P12 authentication).",
    gatewaySchemes: ["soap_toolkit"],
  },
  {
    type: "TOKEN_MANAGEMENT_MLE",
    label: "Message-Level Encryption",
    searchLabel: "Message Level Encryption",
    lifetimeMonths: 36,
    deactivatable: true,
    metaCapable: false,
    inAll: false,
    creatable: true,
    description: "Your public key for Token Management message-level encryption.",
    createForm: "public-key",
    pasteLabel: "Public key value",
    createButton: "Create Key",
  },
  {
    type: "ISV_BRIDGE",
    label: "ISV Bridge",
    searchLabel: "ISV Bridge",
    lifetimeMonths: 36,
    deactivatable: false,
    metaCapable: false,
    inAll: false,
    creatable: false,
    description: "Created by an ISV integration; found by search only.",
    createForm: "none",
  },
  {
    type: "MPOS",
    label: "Mobile Points of Sale (MPOS)",
    searchLabel: "MPOS",
    lifetimeMonths: 36,
    deactivatable: false,
    metaCapable: false,
    inAll: false,
    creatable: false,
    description: "Created by a mobile point-of-sale device; found by search only.",
    createForm: "none",
  },
];

const BY_TYPE = new Map(KEY_TYPES.map((t) => [t.type, t]));

export function keyType(type: KeyType): KeyTypeSpec {
  const spec = BY_TYPE.get(type);
  if (!spec) throw new Error(`Unknown key type ${type}`);
  return spec;
}

/** A certificate key's download: `<org id>_<fileTag><suffix>` (`merchant12378_rest.p12`, `merchant12378_response_mle_<id>.pem`). */
export function downloadName(type: KeyType, orgId: string, suffix: string): string {
  const tag = keyType(type).fileTag;
  return tag ? `${orgId}_${tag}${suffix}` : `${orgId}${suffix}`;
}

/**
 * What an action on a key of `type` needs: `permission` (keys.create, keys.deactivate,
 * keys.delete) and the type's extra permission (PGP: PGP Security Settings).
 */
export function keyPermissions(type: KeyType, permission: Permission): Permission[] {
  const extra = keyType(type).extraPermission;
  return extra ? [permission, extra] : [permission];
}

/** The types Key Type "All" searches. */
export const TYPES_IN_ALL: KeyType[] = KEY_TYPES.filter((t) => t.inAll).map((t) => t.type);

/** Expiry of a key of `type` created at `createdAt`. */
export function expiryFor(type: KeyType, createdAt: Date): Date {
  const d = new Date(createdAt);
  d.setUTCMonth(d.getUTCMonth() + keyType(type).lifetimeMonths);
  return d;
}

/** True when new keys of `type` may no longer be created in `environment` on `at`. */
export function isRetired(type: KeyType, environment: Environment, at: Date = new Date()): boolean {
  const from = keyType(type).retiredFrom?.[environment];
  return from !== undefined && at.toISOString().slice(0, 10) >= from;
}

/** The types whose registry entry satisfies `pred`. */
export function keyTypesWhere(pred: (spec: KeyTypeSpec) => boolean): KeyType[] {
  return KEY_TYPES.filter(pred).map((t) => t.type);
}

/** True when a key of `type` may authenticate a gateway request of `scheme`. */
export function acceptsScheme(type: KeyType, scheme: GatewayScheme): boolean {
  return BY_TYPE.get(type)?.gatewaySchemes?.includes(scheme) ?? false;
}

/** The one key type a scheme accepts (the gateway looks keys up by it). */
export function schemeKeyType(scheme: GatewayScheme): KeyType {
  const [type, ...more] = keyTypesWhere((t) => t.gatewaySchemes?.includes(scheme) ?? false);
  if (!type || more.length) throw new Error(`Key type registry: ${scheme} must be accepted by exactly one type`);
  return type;
}

/** The types the gateway encrypts responses to (REST – API Response MLE). */
export const RESPONSE_MLE_TYPES: KeyType[] = keyTypesWhere((t) => t.responseMle === true);

/** The types that may be created with Key Management API access (REST – Shared Secret and REST – Certificate). */
export const KMS_API_TYPES: readonly KeyType[] = keyTypesWhere((t) => t.kmsApi === true);
