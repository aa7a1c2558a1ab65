// The bench's correctness checks: every payment the edge answered 2xx is in PAYMENTS exactly once, and in the
// payments read model exactly once. Read straight from JetStream and Postgres, not through the code under test.
import { performance } from "node:perf_hooks"
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream"
import pg from "pg"
import type { Naming } from "../../src/platform/index.ts"

export interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

/** Messages appended to PAYMENTS after `afterSeq`, counted per payment id (the subject's last token). */
export async function paymentsAppendedAfter(js: JetStreamClient, jsm: JetStreamManager, names: Naming, afterSeq: number) {
  const streamName = names.stream("PAYMENTS")
  const lastSeq = (await jsm.streams.info(streamName)).state.last_seq
  const counts = new Map<string, number>()
  if (lastSeq > afterSeq) {
    // Headers only: the subject names the payment, the bodies are not needed.
    const consumer = await js.consumers.get(streamName, {
      deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1, headers_only: true, inactive_threshold: 30_000,
    })
    const messages = await consumer.consume({ max_messages: 1_000 })
    try {
      for await (const m of messages) {
        const paymentId = m.subject.slice(m.subject.lastIndexOf(".") + 1)
        counts.set(paymentId, (counts.get(paymentId) ?? 0) + 1)
        if (m.seq >= lastSeq) break
      }
    } finally {
      await messages.close()
      void consumer.delete().catch(() => undefined)
    }
  }
  return { lastSeq, counts }
}

export function inStreamOnce(answered: ReadonlyArray<string>, appended: ReadonlyMap<string, number>): Check {
  let missing = 0
  let repeated = 0
  for (const id of answered) {
    const n = appended.get(id) ?? 0
    if (n === 0) missing++
    else if (n > 1) repeated++
  }
  const answeredSet = new Set(answered)
  const unanswered = [...appended.keys()].filter((id) => !answeredSet.has(id)).length
  const dupAnswers = answered.length - answeredSet.size
  return {
    name: "every 2xx payment in PAYMENTS once",
    ok: missing === 0 && repeated === 0 && dupAnswers === 0,
    detail: `${answered.length} answered 2xx, ${appended.size} appended; missing ${missing}, more than once ${repeated}, ` +
      `same id answered twice ${dupAnswers}; appended without a 2xx answer ${unanswered} (in flight when a run ended)`,
  }
}

/** Waits (bounded) until the payments projection has applied `seq`, then counts each answered payment's rows. */
export async function inReadModelOnce(databaseUrl: string, names: Naming, answered: ReadonlyArray<string>, seq: number, waitMs = 180_000): Promise<Check> {
  const name = "every 2xx payment in the read model once"
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const schema = `"${names.dbSchema}"`
    const deadline = performance.now() + waitMs
    let reached = 0
    for (;;) {
      const { rows } = await client.query<{ last_seq: string }>(`select last_seq from ${schema}.projection_checkpoints where name = 'payments'`)
      reached = Number(rows[0]?.last_seq ?? 0)
      if (reached >= seq || performance.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    if (reached < seq) return { name, ok: false, detail: `the projection reached seq ${reached}, not ${seq}, within ${waitMs / 1000} s` }
    const { rows } = await client.query<{ payment_id: string; n: string }>(
      `select payment_id, count(*) as n from ${schema}.payments where payment_id = any($1) group by payment_id`, [answered])
    const missing = answered.length - rows.length
    const repeated = rows.filter((r) => Number(r.n) > 1).length
    return {
      name,
      ok: missing === 0 && repeated === 0,
      detail: `${rows.length}/${answered.length} rows; missing ${missing}, more than once ${repeated} (projection at seq ${reached})`,
    }
  } finally {
    await client.end()
  }
}

/** No answer outside 2xx: in particular no 429, so the per-kiosk limit was never what got measured. */
export function onlySuccess(label: string, statusCodes: Readonly<Record<string, number>>, errors: number, limitNote: string): Check {
  const other = Object.entries(statusCodes).filter(([code]) => !code.startsWith("2"))
  const otherCount = other.reduce((sum, [, n]) => sum + n, 0)
  const rateLimited = statusCodes["429"] ?? 0
  return {
    name: `${label}: only 2xx answers`,
    ok: otherCount === 0 && errors === 0,
    detail: `${otherCount} non-2xx (${other.map(([c, n]) => `${n}×${c}`).join(", ") || "none"}; ${rateLimited} × 429), ` +
      `${errors} errors/timeouts; ${limitNote}`,
  }
}
