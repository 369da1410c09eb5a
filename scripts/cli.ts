import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * A script's command-line options (node:util parseArgs, strict, with -h/--help): the values, or
 * the exit code when the script is done — 0 after printing `usage` for --help, 2 after printing
 * what was wrong and `usage`.
 */
export function scriptOptions<O extends Options>(options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: "boolean" as const, short: "h" } }, strict: true });
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : e}\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return parsed.values;
}
