// Finds the NATS and Postgres the tests talk to: from NATS_URL / DATABASE_URL, else the local defaults,
// else Testcontainers where a Docker engine exists. Cleans up everything this run's namespaces created.
import { randomBytes } from "node:crypto"
import type { TestProject } from "vitest/node"
import { reachable } from "../../src/cli/index.ts"
import { dropRunState } from "./cleanup.ts"

declare module "vitest" {
  export interface ProvidedContext {
    natsUrl: string
    databaseUrl: string
    /** Every namespace a test makes starts with this, so the teardown can find them all. */
    runPrefix: string
  }
}

async function fromContainers(): Promise<{ natsUrl: string; databaseUrl: string; stop: () => Promise<void> }> {
  try {
    const { GenericContainer, Wait } = await import("testcontainers")
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql")
    const nats = await new GenericContainer("nats:2.12").withCommand(["-js"]).withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/)).start()
    const pg = await new PostgreSqlContainer("postgres:16-alpine").start()
    return {
      natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
      databaseUrl: pg.getConnectionUri(),
      stop: async () => { await nats.stop(); await pg.stop() },
    }
  } catch (cause) {
    throw new Error(
      "No NATS/Postgres reachable: export NATS_URL and DATABASE_URL, start the local services, or run a Docker engine for Testcontainers",
      { cause },
    )
  }
}

export default async function setup(project: TestProject) {
  let natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222"
  let databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
  let stopContainers: (() => Promise<void>) | undefined
  if (!(await reachable(natsUrl, 4222)) || !(await reachable(databaseUrl, 5432))) {
    const started = await fromContainers()
    ;({ natsUrl, databaseUrl } = started)
    stopContainers = started.stop
  }
  const runPrefix = `t${randomBytes(3).toString("hex")}`
  project.provide("natsUrl", natsUrl)
  project.provide("databaseUrl", databaseUrl)
  project.provide("runPrefix", runPrefix)
  return async () => {
    if (process.env.KEEP_TEST_STATE !== "1") await dropRunState({ natsUrl, databaseUrl, runPrefix })
    await stopContainers?.()
  }
}
