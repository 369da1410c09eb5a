/** A small structured logger: one JSON line per event on stderr. Never log a secret. */
type Fields = Record<string, unknown>;
function write(level: string, fields: Fields, msg: string) {
  if (process.env.KEYCENTER_LOG === "silent") return;
  process.stderr.write(JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }) + "\n");
}
export const logger = {
  info: (fields: Fields, msg: string) => write("info", fields, msg),
  warn: (fields: Fields, msg: string) => write("warn", fields, msg),
  error: (fields: Fields, msg: string) => write("error", fields, msg),
};
