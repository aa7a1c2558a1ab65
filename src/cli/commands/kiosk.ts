// `admin-kiosk kiosk simulate`: a fleet of simulated kiosks, each the real kiosk client library on its own
// journal, selling against a running edge, with the network cut now and then; a live line, then a final count.
import { CliError, defineCommand, parseOptions, UsageError } from "../command.ts"

const whole = (name: string, value: string | undefined, min: number, max: number): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}`)
  return n
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError("--password-stdin reads the admin's password from a pipe")
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "")
}

export default defineCommand({
  name: "kiosk simulate",
  summary: "Run a fleet of simulated kiosks (the kiosk client library) against a running edge",
  usage: `Usage: admin-kiosk kiosk simulate --kiosks N --rate R [--offline-every S] [--duration D] [options]

Each simulated kiosk is the kiosk client library (src/kiosk-client) on its own file journal: it takes sales,
makes them durable, and delivers them to the edge with retries, exactly as a real kiosk does. Sales arrive at
random (a Poisson process) at --rate per second across the fleet. With --offline-every, each kiosk loses the
network that often, at its own moment, and keeps selling meanwhile. A live line shows sent (sales taken),
acknowledged (by the edge), queued and rejected; at the end selling stops, the queues drain, and the final
count is printed.

Kiosks come from, in this order: journals already in --journal-dir (a second run resumes them), the device
tokens in --tokens FILE, then new kiosks registered through the API as --admin (password on stdin).

Options:
  --kiosks N            kiosks to run (default: as many as the journals and tokens give, else 10)
  --rate R              sales per second for the whole fleet (default 5)
  --offline-every S     each kiosk loses the network every S seconds…
  --offline-for S       …for S seconds (default a third of --offline-every)
  --duration D          seconds to sell (default: until Ctrl-C)
  --edge URL            the edge (default http://HOST:PORT from the environment)
  --admin NAME          register missing kiosks as this admin…
  --password-stdin      …whose password comes on stdin
  --tokens FILE         device tokens, one per line
  --journal-dir DIR     where the kiosks' journals live (default a new temporary directory)
  --currency C          ISO 4217 currency of the sales (default EUR)
  --heartbeat-every S   each kiosk's heartbeat period (default 60; 0 for none)
  --drain-timeout S     how long to wait for queues to empty at the end (default 60)
  --json                print the final count as one JSON line on stdout

Exit code 0 when every queue drained, 1 when sales are still queued (they stay in the journals: run again
with the same --journal-dir to deliver them).

Example:
  printf '%s' "$ADMIN_PASSWORD" | admin-kiosk kiosk simulate --admin root --password-stdin \\
    --kiosks 200 --rate 50 --offline-every 30 --duration 120`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, {
      kiosks: { type: "string" },
      rate: { type: "string", default: "5" },
      "offline-every": { type: "string" },
      "offline-for": { type: "string" },
      duration: { type: "string" },
      edge: { type: "string" },
      admin: { type: "string" },
      "password-stdin": { type: "boolean", default: false },
      tokens: { type: "string" },
      "journal-dir": { type: "string" },
      currency: { type: "string", default: "EUR" },
      "heartbeat-every": { type: "string", default: "60" },
      "drain-timeout": { type: "string", default: "60" },
      json: { type: "boolean", default: false },
    })
    const kiosks = whole("kiosks", values.kiosks, 1, 10_000)
    const rate = whole("rate", values.rate, 0, 100_000)!
    const offlineEvery = whole("offline-every", values["offline-every"], 1, 86_400)
    const offlineFor = whole("offline-for", values["offline-for"], 0.1, 86_400)
    const duration = whole("duration", values.duration, 1, 30 * 86_400)
    const heartbeatEvery = whole("heartbeat-every", values["heartbeat-every"], 0, 86_400)!
    const drainTimeout = whole("drain-timeout", values["drain-timeout"], 0, 86_400)!
    if (offlineFor !== undefined && offlineEvery === undefined) throw new UsageError("--offline-for needs --offline-every")
    if (offlineFor !== undefined && offlineEvery !== undefined && offlineFor >= offlineEvery) {
      throw new UsageError("--offline-for must be shorter than --offline-every")
    }
    if (values.admin !== undefined && !values["password-stdin"]) throw new UsageError("--admin needs --password-stdin")
    const { isCurrency } = await import("../../shared/index.ts")
    if (!isCurrency(values.currency)) throw new UsageError(`--currency: "${values.currency}" is not an ISO 4217 code`)

    const [{ mkdtemp }, { tmpdir }, { join, resolve }, enrol, { startFleet }, { describeCounts, startLiveLine }] = await Promise.all([
      import("node:fs/promises"), import("node:os"), import("node:path"), import("../simulate/enrol.ts"),
      import("../simulate/fleet.ts"), import("../simulate/liveLine.ts"),
    ])
    const settings = await ctx.settings()
    const edgeUrl = (values.edge ?? `http://${settings.host}:${settings.port}`).replace(/\/$/, "")
    const dir = values["journal-dir"] ? resolve(values["journal-dir"]) : await mkdtemp(join(tmpdir(), "kiosk-simulate-"))

    const found = await enrol.journalsIn(dir)
    if (values.tokens !== undefined) for (const [id, kiosk] of await enrol.tokensFrom(values.tokens, dir)) found.set(id, kiosk)
    const wanted = kiosks ?? (found.size > 0 ? found.size : 10)
    if (found.size < wanted) {
      if (values.admin === undefined) {
        throw new CliError(`${wanted} kiosks wanted, ${found.size} found in ${dir}${values.tokens ? " and --tokens" : ""}: pass --admin NAME --password-stdin to register the rest`)
      }
      const token = await enrol.adminToken(edgeUrl, values.admin, await readPassword())
      const label = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "")
      process.stderr.write(`registering ${wanted - found.size} kiosks at ${edgeUrl}…\n`)
      for (const [id, kiosk] of await enrol.registerKiosks(edgeUrl, token, wanted - found.size, dir, label)) found.set(id, kiosk)
    }

    const fleet = await startFleet({
      edgeUrl,
      kiosks: [...found.values()].slice(0, wanted),
      ratePerSecond: rate,
      currency: values.currency,
      ...(offlineEvery !== undefined ? { offlineEverySeconds: offlineEvery } : {}),
      ...(offlineFor !== undefined ? { offlineForSeconds: offlineFor } : {}),
      ...(heartbeatEvery > 0 ? { heartbeatEverySeconds: heartbeatEvery } : {}),
    })
    process.stderr.write(`kiosk simulate: ${wanted} kiosks → ${edgeUrl}, ${rate} sales/s; journals in ${dir}\n`)
    const started = Date.now()
    const live = startLiveLine(fleet.counts)
    try {
      await new Promise<void>((done) => {
        if (duration !== undefined) setTimeout(done, duration * 1_000).unref()
        ctx.signal.addEventListener("abort", () => done(), { once: true })
      })
      await fleet.stopSelling()
      const drained = await fleet.drain(drainTimeout * 1_000)
      live.stop()
      const counts = fleet.counts()
      const seconds = (Date.now() - started) / 1_000
      process.stderr.write(`final: ${describeCounts(counts, seconds)}${drained ? "" : " — NOT drained: still queued in the journals"}\n`)
      if (values.json) process.stdout.write(`${JSON.stringify({ ...counts, drained, seconds, journalDir: dir, edge: edgeUrl })}\n`)
      return drained ? 0 : 1
    } finally {
      live.stop()
      await fleet.close()
    }
  },
})
