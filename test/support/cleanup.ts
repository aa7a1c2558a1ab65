// Removes the streams, KV buckets and database schemas a test run created under its namespace prefix.
import { connect } from "@nats-io/transport-node"
import { jetstreamManager } from "@nats-io/jetstream"
import pg from "pg"

export async function dropRunState(opts: { natsUrl: string; databaseUrl: string; runPrefix: string }) {
  const nc = await connect({ servers: opts.natsUrl })
  try {
    const jsm = await jetstreamManager(nc)
    const upper = opts.runPrefix.toUpperCase()
    for await (const info of jsm.streams.list()) {
      const name = info.config.name
      if (name.startsWith(upper) || name.startsWith(`KV_${opts.runPrefix}`) || name.startsWith(`OBJ_${opts.runPrefix}`)) {
        await jsm.streams.delete(name)
      }
    }
  } finally {
    await nc.close()
  }
  const client = new pg.Client({ connectionString: opts.databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like $1", [`${opts.runPrefix}%`])
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`)
  } finally {
    await client.end()
  }
}
