// Closing a pool means its connections are gone: `admin-kiosk dev` stops its own Postgres right after, and a
// connection still open then is cut by the server ("terminating connection due to administrator command").
import { sql } from "kysely"
import { afterAll, expect, it } from "vitest"
import { freshNamespace, testSettings } from "../../test/support/settings.ts"
import { closeDb, openDb } from "./db.ts"

const settings = await testSettings()
const observer = openDb(settings, "test-observer", 1)
afterAll(async () => { await closeDb(observer) })

it("leaves no backend of a closed pool behind, the moment closeDb resolves", async () => {
  for (let round = 0; round < 5; round++) {
    const role = `test-close-${round}`
    const namespace = freshNamespace()
    const pool = openDb({ ...settings, namespace }, role, 4)
    // Four connections open and idle, as a role's pool is when its process stops.
    await Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.05)`.execute(pool.db)))
    await closeDb(pool)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where application_name = ${`admin-kiosk:${namespace}:${role}`}`.execute(observer.db)
    expect(rows[0]!.n, `round ${round}`).toBe(0)
  }
})
