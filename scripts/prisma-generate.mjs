// postinstall: generate the Prisma client. The Prisma 7 CLI downloads a native schema
// engine for every command, even `generate`, which never uses it; where no binary can be
// fetched (offline machines, CI here) point it at a no-op unless one is configured.
import { spawnSync } from "node:child_process";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = "/bin/true";
const r = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
