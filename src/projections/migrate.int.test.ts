// Migrations must not care what happens in other schemas: rebuilds drop shadow schemas and other namespaces come
// and go on the same server while a process starts and migrates.
import { sql } from "kysely"
import { afterAll, expect, it } from "vitest"
import { freshNamespace, testSettings } from "../../test/support/settings.ts"
import { closeDb, openDb } from "./db.ts"
import { migrate } from "./migrate.ts"

const settings = await testSettings()
const churn = openDb(settings, "test-churn")
afterAll(async () => { await closeDb(churn) })

it("migrates while other schemas with tables are created and dropped around it", async () => {
  let stop = false
  const others = Array.from({ length: 3 }, async () => {
    while (!stop) {
      const other = freshNamespace()
      await sql`create schema ${sql.id(other)}`.execute(churn.db)
      await sql`create table ${sql.id(other, "t")} (id serial primary key, note text)`.execute(churn.db)
      await sql`drop schema ${sql.id(other)} cascade`.execute(churn.db)
    }
  })
  try {
    for (let i = 0; i < 12; i++) {
      const handle = openDb({ ...settings, namespace: freshNamespace() }, "test-migrate", 2)
      try {
        expect((await migrate(handle)).applied.length).toBeGreaterThan(0)
        expect((await migrate(handle)).applied).toEqual([])
      } finally {
        await closeDb(handle)
      }
    }
  } finally {
    stop = true
    await Promise.all(others)
  }
}, 120_000)
