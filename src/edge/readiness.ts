// What /readyz checks: the NATS connection answers, every event stream exists, and Postgres answers a query.
// Each check has its own short timeout so that one hung dependency cannot hang the probe.
import type { Logger } from "../platform/logger.ts"
import type { NatsClients } from "../platform/nats.ts"
import { type Naming, STREAMS } from "../platform/naming.ts"

export interface Check {
  readonly ok: boolean
  readonly detail?: string
}
export type ReadinessReport = Readonly<Record<string, Check>>
export type Readiness = () => Promise<ReadinessReport>

const CHECK_TIMEOUT_MS = 2_000

async function check(run: () => Promise<unknown>, failure: string, log?: (error: unknown) => void): Promise<Check> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
  })
  try {
    await Promise.race([run(), timeout])
    return { ok: true }
  } catch (error) {
    // The probe's answer is public: it says what is missing, the log says why.
    log?.(error)
    return { ok: false, detail: failure }
  } finally {
    clearTimeout(timer)
  }
}

export function readinessOf(deps: {
  readonly nats: Pick<NatsClients, "nc" | "jsm">
  readonly names: Naming
  readonly pingDatabase: () => Promise<unknown>
  readonly log?: Pick<Logger, "warn">
}): Readiness {
  const logAs = (what: string) => (error: unknown) => deps.log?.warn({ err: error, check: what }, "readiness check failed")
  return async () => {
    const [nats, postgres, ...streams] = await Promise.all([
      check(async () => {
        if (deps.nats.nc.isClosed()) throw new Error("connection closed")
        await deps.nats.nc.flush()
      }, "NATS does not answer", logAs("nats")),
      check(deps.pingDatabase, "Postgres does not answer", logAs("postgres")),
      ...STREAMS.map((key) => check(() => deps.nats.jsm.streams.info(deps.names.stream(key)), "stream missing or unreachable", logAs(`stream:${key}`))),
    ])
    const report: Record<string, Check> = { nats: nats!, postgres: postgres! }
    STREAMS.forEach((key, i) => { report[`stream:${key}`] = streams[i]! })
    return report
  }
}

export const isReady = (report: ReadinessReport) => Object.values(report).every((c) => c.ok)
