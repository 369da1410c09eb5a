import path from "node:path";

/**
 * The deployed test environment `npm run test:deploy` starts, as README's "Deploying a test
 * environment" describes it: KeyCenter (`npm start`, NODE_ENV=production, its own secrets and
 * database) behind Caddy with TLS (`tls internal`) at https://keycenter.test:8443, and a second
 * KeyCenter served over plain http at http://keycenter-http.test:3321. The names resolve to
 * 127.0.0.1: in Chromium by --host-resolver-rules, in Node by /etc/hosts (CI adds them) or by
 * resolve-test-hosts.mjs.
 */
// 3320, not 3300: .ci/run's QA pack serves on 3300 just before.
const base = Number(process.env.DEPLOY_PORT ?? 3320);

export const DEPLOY = {
  /** KeyCenter behind Caddy (listens on 127.0.0.1 only: people reach it through the proxy). */
  proxiedPort: base,
  /** KeyCenter on plain http, no proxy. */
  plainPort: base + 1,
  /** Caddy's TLS port. */
  tlsPort: Number(process.env.DEPLOY_TLS_PORT ?? 8443),
  tlsHost: "keycenter.test",
  plainHost: "keycenter-http.test",
  /** Another name for the proxied KeyCenter's own port: someone bypassing the proxy over http. */
  directHost: "keycenter-direct.test",
  /** Where the logs, the Caddyfile and Caddy's data (its internal CA) go. */
  dir: path.resolve(".data", `deploy-${base}`),
  distDir: process.env.KEYCENTER_DIST_DIR ?? ".next-deploy",
};

/** The public URLs (BETTER_AUTH_URL of each instance) and the bypass. */
export const HTTPS_URL = `https://${DEPLOY.tlsHost}:${DEPLOY.tlsPort}`;
export const PLAIN_URL = `http://${DEPLOY.plainHost}:${DEPLOY.plainPort}`;
export const DIRECT_URL = `http://${DEPLOY.directHost}:${DEPLOY.proxiedPort}`;

export const TEST_HOSTS = [DEPLOY.tlsHost, DEPLOY.plainHost, DEPLOY.directHost];

/** Caddy's internal CA (its root certificate), under the storage root the Caddyfile names. */
export const caddyRoot = () => path.join(DEPLOY.dir, "caddy", "pki", "authorities", "local", "root.crt");

export const databaseName = (port: number) => `keycenter_deploy_${port}`;
