// Brings the namespace's schema to the latest migration. Safe from several processes at once: Kysely's
// migrator serialises them with a lock and skips what is already applied.
import { sql } from "kysely"
import { Migrator } from "kysely/migration"
import type { DbHandle } from "./db.ts"
import { MIGRATIONS } from "./migrations/index.ts"

export interface MigrationOutcome {
  /** Migrations this call applied, in order (empty when the schema was already current). */
  readonly applied: ReadonlyArray<string>
}

export class MigrationFailed extends Error {
  override readonly name = "MigrationFailed"
}

export async function migrate({ db, schema }: DbHandle): Promise<MigrationOutcome> {
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableSchema: schema,
  })
  const { error, results = [] } = await migrator.migrateToLatest()
  const failed = results.find((r) => r.status === "Error")
  if (error !== undefined || failed !== undefined) {
    throw new MigrationFailed(`migration ${failed?.migrationName ?? "(setup)"} failed in schema ${schema}`, { cause: error })
  }
  return { applied: results.filter((r) => r.status === "Success").map((r) => r.migrationName) }
}
