// The edge wired for a test: a fresh namespace on the run's NATS and Postgres, the projectors running in-process
// (lists and min_seq need them), and helpers that act the way clients do — over HTTP via app.inject. The first
// admin is made on the write side, as `admin-kiosk users create` does.
import type { FastifyInstance, LightMyRequestResponse } from "fastify"
import { provisionStreams, registerUser, systemActor } from "../../src/commands/index.ts"
import { type EdgeLimits, type EdgeOptions, openEdge } from "../../src/edge/index.ts"
import { type AppSettings, makeLogger, naming, newId, STREAMS } from "../../src/platform/index.ts"
import { readSideDeps, startProjectors, withRolePool } from "../../src/projections/index.ts"
import { pairingCodeInLabel } from "./pairingLabel.ts"
import { processRuntime } from "./processRuntime.ts"
import { testSettings } from "./settings.ts"

export const PASSWORD = "correct horse battery staple"

/** High enough that a test's own traffic never trips them; tests of the limiter pass their own. */
export const RELAXED_LIMITS: Partial<EdgeLimits> = {
  loginPerMinute: 10_000, registerPerMinute: 10_000, kioskPerMinute: 100_000, pairPerUserPerMinute: 10_000, pairPerAddressPerMinute: 10_000,
}

export interface Session {
  readonly token: string
  readonly refreshToken: string
  readonly user: { readonly id: string; readonly username: string; readonly role: string }
}

export interface EdgeSystem {
  readonly settings: AppSettings
  readonly app: FastifyInstance
  /** The process's runtime the edge and projectors run on, for a test that starts another role beside them. */
  readonly runtime: ReturnType<typeof processRuntime>
  /** Headers for a bearer token. */
  bearer(token: string): { authorization: string }
  /** An account made on the write side (like the CLI), then logged in over HTTP. */
  userWithRole(role: "admin" | "operator" | "auditor", username?: string): Promise<Session>
  login(username: string, password?: string): Promise<Session>
  /** Registers a kiosk as `admin`; answers the kiosk and its device token. */
  registerKiosk(admin: Session, name?: string): Promise<{ kiosk: { id: string; code: string }; deviceToken: string; seq: number }>
  /** The kiosk's current pairing code, read from its label as `admin` (what an operator scans). */
  pairingCode(admin: Session, kioskId: string): Promise<string>
  /** The last sequence of every stream together: unchanged = nothing was appended anywhere. */
  streamTotals(): Promise<number>
  close(): Promise<void>
}

export async function startEdgeSystem(options: {
  readonly env?: Record<string, string>
  readonly edge?: EdgeOptions
  readonly projectors?: boolean
} = {}): Promise<EdgeSystem> {
  const settings = await testSettings({ LOG_LEVEL: "fatal", ...options.env })
  // One runtime for the edge and the projectors, as `admin-kiosk serve` runs them.
  const runtime = processRuntime(settings)
  const edge = await openEdge(runtime, { limits: RELAXED_LIMITS, logger: makeLogger(settings, "edge-test"), ...options.edge })
  const app = edge.app
  await app.ready()

  const deps = await runtime.runPromise(withRolePool("test-projector")(readSideDeps))
  await provisionStreams(deps.nats.jsm, deps.names)
  const projectors = options.projectors === false ? undefined : await startProjectors(deps, { watchIntervalMs: 60_000 })

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const expectOk = (response: LightMyRequestResponse, what: string) => {
    if (response.statusCode >= 300) throw new Error(`${what}: ${response.statusCode} ${response.body}`)
    return response.json()
  }

  const login = async (username: string, password = PASSWORD): Promise<Session> =>
    expectOk(await app.inject({ method: "POST", url: "/auth/login", payload: { username, password } }), `login ${username}`)

  return {
    settings,
    app,
    runtime,
    bearer,
    login,
    async userWithRole(role, username = `${role}-${newId("u").slice(-8)}`) {
      const context = { actor: systemActor("test"), correlationId: newId("cor") }
      await app.run(registerUser({ username, password: PASSWORD, role }, context))
      return login(username)
    },
    async registerKiosk(admin, name = `Kiosk ${newId("k").slice(-6)}`) {
      return expectOk(
        await app.inject({ method: "POST", url: "/kiosks", headers: bearer(admin.token), payload: { name, location: "Test hall" } }),
        "register kiosk",
      )
    },
    async pairingCode(admin, kioskId) {
      const label = await app.inject({ url: `/kiosks/${kioskId}/qr`, headers: bearer(admin.token) })
      if (label.statusCode !== 200) throw new Error(`label of ${kioskId}: ${label.statusCode} ${label.body}`)
      return pairingCodeInLabel(label.body)
    },
    async streamTotals() {
      const names = naming(settings.namespace)
      const infos = await Promise.all(STREAMS.map((key) => deps.nats.jsm.streams.info(names.stream(key))))
      return infos.reduce((sum, info) => sum + info.state.last_seq, 0)
    },
    async close() {
      await edge.close()
      await projectors?.stop()
      await runtime.dispose()
    },
  }
}
