// Readiness as every role reports it: named checks, each ok or not with a short public reason. The ops server
// (and the edge's own /readyz) answer 200 only when every check of every role in the process is ok.
export interface Check {
  readonly ok: boolean
  readonly detail?: string
}
export type ReadinessReport = Readonly<Record<string, Check>>
export type Readiness = () => Promise<ReadinessReport>

const CHECK_TIMEOUT_MS = 2_000

/** Runs one check with its own timeout, so that one hung dependency cannot hang the probe. */
export async function check(run: () => Promise<unknown>, failure: string, log?: (error: unknown) => void): Promise<Check> {
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

export const isReady = (report: ReadinessReport) => Object.values(report).every((c) => c.ok)

/** A check from a condition known without a round trip (a consumer bound, a lag measured recently). */
export const condition = (ok: boolean, failure: string): Check => (ok ? { ok } : { ok, detail: failure })

/** One report from several, each check named after its source (`projector:projection:payments`). */
export function mergeReports(reports: ReadonlyArray<readonly [string, ReadinessReport]>): ReadinessReport {
  const merged: Record<string, Check> = {}
  for (const [source, report] of reports) for (const [name, c] of Object.entries(report)) merged[`${source}:${name}`] = c
  return merged
}
