// Brings the namespace's schema to the latest migration. Safe from several processes at once: Kysely's
// migrator serialises them with a lock and skips what is already applied.
import { type Kysely, sql } from "kysely"
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
    db: withIntrospectionOf(db, schema),
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

/**
 * Kysely's introspector lists every schema's tables with functions (has_schema_privilege, pg_get_serial_sequence)
 * that fail when another schema is dropped mid-query: a rebuild's shadow schema, another namespace's teardown.
 * The migrator only asks whether our schema and its own two tables exist, so it gets an introspector that looks
 * at our schema alone, through plain catalog reads.
 */
function withIntrospectionOf<DB>(db: Kysely<DB>, schema: string): Kysely<DB> {
  const getTables = async () =>
    (await sql<{ name: string; schema: string }>`
      select tablename as name, schemaname as schema from pg_catalog.pg_tables where schemaname = ${schema}`.execute(db))
      .rows.map((t) => ({ ...t, isView: false, columns: [] }))
  const introspection = {
    getSchemas: async () =>
      (await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db)).rows,
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  }
  return new Proxy(db, {
    get(target, property) {
      if (property === "introspection") return introspection
      // Kysely keeps private fields: its methods must run on the real instance, not on the proxy.
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === "function" ? value.bind(target) : value
    },
  })
}
