// `admin-kiosk migrate`: brings the read models' schema up to date (the roles also do it when they start).
import { defineCommand, parseOptions } from "../command.ts"

export default defineCommand({
  name: "migrate",
  summary: "Apply pending read-model migrations to the namespace's Postgres schema",
  usage: `Usage: admin-kiosk migrate

Creates the namespace's schema if needed and applies every pending migration, in order.
Safe to run at any time and from several places at once: applied migrations are skipped
and concurrent runs wait for each other. The projector and edge roles run it at start too.`,

  async run(argv, ctx) {
    parseOptions(argv, {})
    const settings = await ctx.settings()
    const { closeDb, migrate, openDb } = await import("../../projections/index.ts")
    const db = openDb(settings, "cli-migrate", 1)
    try {
      const { applied } = await migrate(db)
      process.stdout.write(applied.length === 0
        ? `schema ${db.schema} is up to date\n`
        : `schema ${db.schema}: applied ${applied.join(", ")}\n`)
    } finally {
      await closeDb(db)
    }
  },
})
