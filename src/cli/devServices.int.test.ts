import { chmod, mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import { reachable, startDevServices } from "./devServices.ts"

describe("dev services", () => {
  const dirs: Array<string> = []
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  it("starts its own JetStream and Postgres on free ports, and stops them", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ak-dev-"))
    dirs.push(dataDir)
    // mkdtemp makes 0700; as root, postgres (another OS user) must reach the cluster directory inside.
    await chmod(dataDir, 0o755)

    const services = await startDevServices({ env: {}, dataDir, mode: "embedded", persistent: false })
    try {
      expect(services.started).toEqual({ nats: true, postgres: true })
      expect(services.natsUrl).not.toContain(":4222")
      expect(services.databaseUrl).not.toContain(":5432/")

      const nc = await connect({ servers: services.natsUrl })
      const account = await (await jetstreamManager(nc)).getAccountInfo()
      expect(account.streams).toBe(0)
      await nc.close()

      const client = new pg.Client({ connectionString: services.databaseUrl })
      await client.connect()
      const { rows } = await client.query<{ n: number }>("select 1 + 1 as n")
      expect(rows[0]?.n).toBe(2)
      await client.end()
    } finally {
      await services.stop()
    }

    expect(await reachable(services.natsUrl, 4222)).toBe(false)
    expect(await reachable(services.databaseUrl, 5432)).toBe(false)
    // Not persistent: the cluster's files are gone; the JetStream store stays under the (temporary) data dir.
    expect(await readdir(join(dataDir, "pg"))).not.toContain("data")
  })
})
