export { SignInPage, DEMO_PASSWORD } from "./sign-in";
export { waitForHydration, waitForHydrationOfApp } from "./hydration";
export { KeyManagementPage } from "./key-management";
export { CreateKeyPage, type KeyTypeLabel } from "./create-key";
export { KmsApi } from "./kms-api";
export { KeyInformationPage, EditKeyPage } from "./key-information";
export { RolesPage } from "./roles";
export { UsersPage, invitationLink, acceptInvitation } from "./users";
