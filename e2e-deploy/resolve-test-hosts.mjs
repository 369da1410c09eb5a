/**
 * Preloaded (`node --import`) into the SDK's process when the test host names do not resolve
 * here (no /etc/hosts entry): they resolve to 127.0.0.1, as `curl --resolve` would. Everything
 * else resolves as usual. CI adds the names to /etc/hosts instead (.ci/run).
 */
import dns from "node:dns";

const names = new Set((process.env.DEPLOY_TEST_HOSTS ?? "").split(",").filter(Boolean));
const original = dns.lookup;

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === "function") [callback, options] = [options, {}];
  if (typeof hostname === "string" && names.has(hostname.toLowerCase())) {
    const all = typeof options === "object" && options?.all;
    process.nextTick(() =>
      all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4),
    );
    return {};
  }
  return original.call(this, hostname, options, callback);
};
