// What /readyz checks: the NATS connection answers, every event stream exists, and Postgres answers a query.
// Each check has its own short timeout so that one hung dependency cannot hang the probe.
import type { NatsClients } from "../platform/nats.ts"
import { type Naming, STREAMS } from "../platform/naming.ts"

export interface Check {
  readonly ok: boolean
  readonly detail?: string
}
export type ReadinessReport = Readonly<Record<string, Check>>
export type Readiness = () => Promise<ReadinessReport>

const CHECK_TIMEOUT_MS = 2_000

async function check(run: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
  })
  try {
    await Promise.race([run(), timeout])
    return { ok: true }
  } catch (error) {
    // Names of what failed, not stack traces: the probe's answer is public.
    return { ok: false, detail: error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : "failed" }
  } finally {
    clearTimeout(timer)
  }
}

export function readinessOf(deps: {
  readonly nats: Pick<NatsClients, "nc" | "jsm">
  readonly names: Naming
  readonly pingDatabase: () => Promise<unknown>
}): Readiness {
  return async () => {
    const [nats, postgres, ...streams] = await Promise.all([
      check(async () => {
        if (deps.nats.nc.isClosed()) throw new Error("connection closed")
        await deps.nats.nc.flush()
      }),
      check(deps.pingDatabase),
      ...STREAMS.map((key) => check(() => deps.nats.jsm.streams.info(deps.names.stream(key)))),
    ])
    const report: Record<string, Check> = { nats: nats!, postgres: postgres! }
    STREAMS.forEach((key, i) => { report[`stream:${key}`] = streams[i]! })
    return report
  }
}

export const isReady = (report: ReadinessReport) => Object.values(report).every((c) => c.ok)
