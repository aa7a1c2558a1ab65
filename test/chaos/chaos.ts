// Chaos: a fleet of simulated kiosks (the simulator's fleet, the real client library on file journals) selling
// against `serve` roles that run as separate processes on a nats-server and a Postgres of our own, while in turn
// the edge, the projector and the notifier are SIGKILLed (and restarted) and nats-server and Postgres restarted.
// During each outage the edge is probed: 503 problem+json with Retry-After, then recovery without any help.
// Afterwards the books are checked against the PAYMENTS stream itself (verify.ts).
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { Effect } from "effect"
import { assignKioskByCode, DEFAULT_NOTIFICATION_KINDS, kioskPairingLabel, registerUser, systemActor } from "../../src/commands/index.ts"
import { journalsIn, registerKiosks, startFleet } from "../../src/cli/index.ts"
import { startMailbox } from "../fakes/mailbox.ts"
import { commandRuntime } from "../support/commandRuntime.ts"
import { PASSWORD } from "../support/edge.ts"
import { startOwnServices } from "../support/ownServices.ts"
import { freePort, type RoleProcess, startRoles } from "../support/roleProcess.ts"
import { type Books, checkBooks, waitFor } from "./verify.ts"

export interface ChaosOptions {
  /** Streams, consumers and schema prefix (the services are ours alone, but the test fixture names it). */
  readonly namespace: string
  readonly kiosks: number
  /** Sales per second across the fleet. */
  readonly ratePerSecond: number
  /** How long each fault lasts before the restart. */
  readonly outageSeconds: number
  /** Selling undisturbed before the first fault and after each recovery. */
  readonly settleSeconds: number
  /** The share of payment answers lost on the way back to the kiosk (recorded, but the kiosk must retry). */
  readonly lostAnswers: number
  readonly log: (line: string) => void
}

/** What one fault showed: how the edge answered during it and how long it took to serve again. */
export interface FaultReport {
  readonly fault: string
  /** Probe answers while the dependency was down, by status ("error" = no HTTP answer). */
  readonly probes: Readonly<Record<string, number>>
  /** Probe 503s that lacked Retry-After or were not problem+json (must be 0). */
  readonly badUnavailable: number
  /** Sales the edge acknowledged while it lasted. */
  readonly acknowledgedDuring: number
  /** From the restart until the edge served the probe again. */
  readonly recoveredInMs: number
}

/** What the kiosks' requests to POST /payments were answered, over the whole run. */
export interface KioskTraffic {
  readonly ok: number
  /** Answers thrown away after the edge recorded the payment, as a dropped link would. */
  readonly answersLost: number
  /** Retries answered with the original payment (Idempotent-Replayed). */
  readonly replayed: number
  readonly unavailable: number
  readonly unavailableWithoutRetryAfter: number
  /** 5xx other than 503: an outage answered as a bug (must be 0). */
  readonly otherServerErrors: number
  readonly networkErrors: number
}

export interface ChaosSummary extends Books {
  readonly kiosks: number
  readonly drained: boolean
  readonly faults: ReadonlyArray<FaultReport>
  readonly traffic: KioskTraffic
  /** Role processes that exited when nobody killed them. */
  readonly unexpectedExits: ReadonlyArray<string>
}

type Role = "edge" | "projector" | "notifier"

export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const { log } = options
  const cleanups: Array<() => Promise<unknown>> = []
  try {
    const services = await startOwnServices("chaos")
    cleanups.push(() => services.close())
    const mailbox = await startMailbox()
    cleanups.push(() => mailbox.close())
    const journals = await mkdtemp(join(tmpdir(), "chaos-kiosks-"))
    await chmod(journals, 0o700)
    cleanups.push(() => rm(journals, { recursive: true, force: true }))

    const port = await freePort()
    const edgeUrl = `http://127.0.0.1:${port}`
    const env: Record<string, string> = {
      NODE_ENV: "test", APP_NAMESPACE: options.namespace, NATS_URL: services.nats.url, DATABASE_URL: services.postgres.url,
      HOST: "127.0.0.1", PORT: String(port), METRICS_PORT: "0", LOG_LEVEL: "info",
      SMTP_URL: mailbox.url, MAIL_FROM: "Admin Kiosk <alerts@kiosk.example>",
    }
    const roles = await startRoleProcesses(env)
    cleanups.push(() => Promise.all(Object.values(roles.current).map((p) => p.kill("SIGKILL"))))

    const { adminToken, probeKioskId } = await seedUsers(env, edgeUrl, options.kiosks, journals, log)
    const traffic = watchTraffic(options.lostAnswers)
    const fleet = await startFleet({
      edgeUrl, kiosks: [...(await journalsIn(journals)).values()], ratePerSecond: options.ratePerSecond,
      currency: "EUR", fetch: traffic.fetch,
    })
    cleanups.unshift(() => fleet.close())
    const live = setInterval(() => {
      const c = fleet.counts()
      log(`sent ${c.sent} · acknowledged ${c.acknowledged} · queued ${c.queued} · rejected ${c.rejected}`)
    }, 10_000)
    cleanups.unshift(async () => clearInterval(live))

    const probe = probes(edgeUrl, adminToken, probeKioskId)
    const faults: Array<FaultReport> = []
    const during = async (fault: string, stop: () => Promise<void>, ask: () => Promise<Response | undefined>, start: () => Promise<void>) => {
      await sleep(options.settleSeconds * 1_000)
      log(`fault: ${fault}`)
      const before = fleet.counts().acknowledged
      await stop()
      const answers: Record<string, number> = {}
      let badUnavailable = 0
      const until = Date.now() + options.outageSeconds * 1_000
      while (Date.now() < until) {
        const answer = await ask()
        const key = answer === undefined ? "error" : String(answer.status)
        answers[key] = (answers[key] ?? 0) + 1
        if (answer?.status === 503 && !isUnavailableProblem(answer)) badUnavailable += 1
        await sleep(500)
      }
      const acknowledgedDuring = fleet.counts().acknowledged - before
      const restarted = Date.now()
      await start()
      await waitFor(`${fault}: the edge to serve again`, async () => (await ask())?.status.toString().startsWith("2") ?? false, 120_000)
      const report = { fault, probes: answers, badUnavailable, acknowledgedDuring, recoveredInMs: Date.now() - restarted }
      log(`  ${JSON.stringify(report)}`)
      faults.push(report)
    }

    for (const role of ["edge", "projector", "notifier"] as const) {
      await during(`SIGKILL ${role}`, () => roles.kill(role), probe.payment, () => roles.restart(role))
    }
    await during("restart nats-server", () => services.nats.stop(), probe.payment, () => services.nats.start())
    await during("restart Postgres", () => services.postgres.stop(), probe.read, () => services.postgres.start())
    await sleep(options.settleSeconds * 1_000)

    log("selling stops; queues drain")
    await fleet.stopSelling()
    clearInterval(live)
    const drained = await fleet.drain(180_000)
    const books = await checkBooks({ env, accepted: fleet.accepted, mailbox, log })
    return {
      kiosks: options.kiosks, drained, faults, traffic: traffic.counts(), unexpectedExits: roles.unexpectedExits(), ...books,
    }
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`))
  }
}

/** The roles as separate processes, read side first; each can be SIGKILLed and restarted. */
async function startRoleProcesses(env: Record<string, string>) {
  const current: Record<Role, RoleProcess> = {
    projector: await startRoles("projector", env),
    notifier: await startRoles("notifier", env),
    edge: await startRoles("edge", env),
  }
  const killed = new Set<RoleProcess>()
  return {
    current,
    async kill(role: Role) {
      killed.add(current[role])
      await current[role].kill("SIGKILL")
    },
    async restart(role: Role) {
      current[role] = await startRoles(role, env, { readyTimeoutMs: 120_000 })
    },
    unexpectedExits: () => Object.entries(current)
      .filter(([, p]) => !killed.has(p) && (p.child.exitCode !== null || p.child.signalCode !== null))
      .map(([role, p]) => `${role} (${p.child.exitCode ?? p.child.signalCode}): ${p.output().split("\n").slice(-5).join("\n")}`),
  }
}

/** An admin, an operator with an e-mail address who asked for receipts (every payment sends them one), and the fleet's kiosks, all
 *  paired to that operator; plus one kiosk outside the fleet for the probes' payments. */
async function seedUsers(env: Record<string, string>, edgeUrl: string, count: number, journals: string, log: (line: string) => void) {
  const t = await commandRuntime(env)
  try {
    const context = { actor: systemActor("chaos"), correlationId: "chaos-seed" }
    await t.run(registerUser({ username: "chaos-admin", password: PASSWORD, role: "admin" }, context))
    const { user: operator } = await t.run(registerUser({
      username: "chaos-operator", password: PASSWORD, role: "operator",
      contact: {
        email: "operator@kiosk.example",
        preferences: { email: true, sms: false, push: false, kinds: { ...DEFAULT_NOTIFICATION_KINDS, receipts: { email: true, sms: false, push: false } } },
      },
    }, context))
    const adminToken = (await json(edgeUrl, "POST", "/auth/login", { body: { username: "chaos-admin", password: PASSWORD } })).token as string
    log(`registering ${count} kiosks`)
    const kiosks = await registerKiosks(edgeUrl, adminToken, count, journals, "chaos")
    // Pairing over HTTP is limited per operator (a few a minute): the fleet is paired on the write side instead,
    // each kiosk with its current label, as an operator standing in front of it would.
    const asOperator = { actor: { kind: "user" as const, id: operator.id, role: "operator" as const }, correlationId: "chaos-pairing" }
    for (const id of kiosks.keys()) {
      await t.run(Effect.flatMap(kioskPairingLabel(id), (label) => assignKioskByCode(label.pairingCode, operator.id, asOperator)))
    }
    const probe = await json(edgeUrl, "POST", "/kiosks", { token: adminToken, body: { name: "Chaos probe", location: "Outside the fleet" } })
    return { adminToken, probeKioskId: (probe.kiosk as { id: string }).id }
  } finally {
    await t.dispose()
  }
}

async function json(base: string, method: string, path: string, init: { token?: string; body?: unknown }): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(30_000),
  })
  const body = await response.json() as Record<string, unknown>
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(body)}`)
  return body
}

/** The probes: a payment (needs NATS) and a read (needs Postgres), as an admin, on the probe kiosk. */
function probes(edgeUrl: string, adminToken: string, kioskId: string) {
  const ask = (path: string, init: RequestInit) =>
    fetch(`${edgeUrl}${path}`, { ...init, signal: AbortSignal.timeout(15_000) }).then(async (r) => {
      // Keep the body for the problem check, read once.
      const body = await r.text()
      return new Response(body, { status: r.status, headers: r.headers })
    }, () => undefined)
  const headers = { authorization: `Bearer ${adminToken}` }
  return {
    payment: () => ask("/payments", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ kiosk_id: kioskId, amount: 100, currency: "EUR" }),
    }),
    read: () => ask("/kiosks?limit=1", { headers }),
  }
}

const isUnavailableProblem = (answer: Response) =>
  Number(answer.headers.get("retry-after")) >= 1 && (answer.headers.get("content-type") ?? "").startsWith("application/problem+json")

/** Wraps the kiosks' fetch to count what POST /payments was answered, losing a share of the good answers. */
function watchTraffic(lostAnswers: number) {
  const counts = { ok: 0, answersLost: 0, replayed: 0, unavailable: 0, unavailableWithoutRetryAfter: 0, otherServerErrors: 0, networkErrors: 0 }
  const watched: typeof fetch = async (input, init) => {
    const isPayment = String(input instanceof Request ? input.url : input).endsWith("/payments")
    try {
      const response = await fetch(input, init)
      if (isPayment) {
        if (response.ok) counts.ok += 1
        if (response.headers.get("idempotent-replayed") === "true") counts.replayed += 1
        if (response.ok && Math.random() < lostAnswers) {
          counts.answersLost += 1
          await response.body?.cancel()
          throw new Error("the answer was lost on the way back (simulated)")
        }
        if (response.status === 503) {
          counts.unavailable += 1
          if (response.headers.get("retry-after") === null) counts.unavailableWithoutRetryAfter += 1
        } else if (response.status >= 500) counts.otherServerErrors += 1
      }
      return response
    } catch (error) {
      if (isPayment) counts.networkErrors += 1
      throw error
    }
  }
  return { fetch: watched, counts: (): KioskTraffic => ({ ...counts }) }
}
