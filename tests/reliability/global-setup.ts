import type { TestProject } from "vitest/node";
import { freePort } from "../helpers/served-app";
import { type ClusterInfo, createCluster, destroyCluster } from "./cluster";

declare module "vitest" {
  export interface ProvidedContext {
    cluster: ClusterInfo;
  }
}

/** One throwaway PostgreSQL cluster for the run (tests/reliability/cluster.ts), removed afterwards. */
export default async function setup(project: TestProject) {
  const cluster = createCluster(await freePort());
  console.log(`Reliability tests: a throwaway PostgreSQL cluster on 127.0.0.1:${cluster.port} (${cluster.dir})`);
  project.provide("cluster", cluster);
  return () => destroyCluster(cluster);
}
