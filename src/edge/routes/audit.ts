// /audit: the auditor's reads of PAYMENTS itself (not the read models). Every one is recorded on AUDIT first
// (who, when, which range). The replay streams: a pull batch at a time, written as the client takes it, and the
// reading stops when the client goes away.
import { once } from "node:events"
import { PassThrough } from "node:stream"
import { Schema } from "effect"
import type { FastifyInstance, FastifyRequest } from "fastify"
import {
  balancesAsOf, describeRange, lastReconciliation, lastSeal, lastVerification, reconcile, recordAuditAccess, type ReplayRange, replayCsvHeader, replayCsvLine, replayJsonLine, replayPayments,
} from "../../audit/index.ts"
import { naming, Nats } from "../../platform/index.ts"
import { actorOf } from "../auth/access.ts"
import { principalOf } from "../auth/authenticate.ts"
import { badQuery, boundOf } from "../instants.ts"
import { addRoute } from "../route.ts"
import { CurrencySchema, Id, KioskCode, Seq } from "../shapes.ts"
import { Bound, kioskIdOrCode } from "./paymentReads.ts"

const StreamSeq = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }))

export const rangeQuery = {
  from_seq: Schema.optionalKey(StreamSeq.annotate({ description: "First PAYMENTS sequence (inclusive)" })),
  to_seq: Schema.optionalKey(StreamSeq.annotate({ description: "Last PAYMENTS sequence (inclusive)" })),
  from: Schema.optionalKey(Bound.annotate({ description: "Business time from (a payment's occurred_at; a refund's recorded time), inclusive" })),
  to: Schema.optionalKey(Bound.annotate({ description: "Business time to: exclusive for an instant, inclusive for a day" })),
  recorded_from: Schema.optionalKey(Bound.annotate({ description: "Recorded time from, inclusive" })),
  recorded_to: Schema.optionalKey(Bound.annotate({ description: "Recorded time to: exclusive for an instant, inclusive for a day" })),
  kiosk_id: Schema.optionalKey(Schema.Union([Id, KioskCode]).annotate({ description: "One kiosk, by id or printed code" })),
} as const

type RangeQuery = { readonly [K in keyof typeof rangeQuery]?: (typeof rangeQuery)[K]["Type"] }

export const rangeOf = (q: RangeQuery): ReplayRange => ({
  fromSeq: q.from_seq,
  toSeq: q.to_seq,
  from: q.from === undefined ? undefined : boundOf(q.from, "from", false),
  to: q.to === undefined ? undefined : boundOf(q.to, "to", true),
  recordedFrom: q.recorded_from === undefined ? undefined : boundOf(q.recorded_from, "recorded_from", false),
  recordedTo: q.recorded_to === undefined ? undefined : boundOf(q.recorded_to, "recorded_to", true),
  kioskId: q.kiosk_id === undefined ? undefined : kioskIdOrCode(q.kiosk_id),
})

/** Records the read on AUDIT before anything is handed out. */
export const recordRead = (app: FastifyInstance, request: FastifyRequest, what: "replay" | "balances" | "reconciliation", range: ReplayRange) =>
  app.run(recordAuditAccess(actorOf(principalOf(request)), { what, range: describeRange(range), kioskId: range.kioskId ?? null }, request.id))

const Day = Schema.String.check(Schema.isPattern(/^\d{4}-\d\d-\d\d$/u)).annotate({ description: "A UTC day, YYYY-MM-DD" })
const AsOf = Schema.String.check(Schema.isPattern(/^(\d{1,15}|\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d{1,9})?Z)?)$/u))
  .annotate({ description: "A PAYMENTS sequence (everything up to it), or a UTC day / instant (everything recorded before it)" })
const Minor = Schema.Int.annotate({ description: "Minor units" })

const BalanceView = Schema.Struct({
  kiosk_id: Schema.String, kiosk_name: Schema.NullOr(Schema.String), currency: CurrencySchema,
  payments: Schema.Int, gross: Minor, refunds: Schema.Int, refunded: Minor, net: Minor,
}).annotate({ title: "AuditBalance" })

const DifferenceView = Schema.Struct({
  kiosk_id: Schema.String, day: Day, currency: Schema.String,
  field: Schema.Literals(["payment_count", "gross", "refund_count", "refunds", "listed_count", "listed_gross"]),
  replayed: Schema.Int, read_model: Schema.Int,
}).annotate({ title: "ReconciliationDifference" })

export const ReconciliationView = Schema.Struct({
  from_day: Schema.NullOr(Day), to_day: Schema.NullOr(Day), through_seq: Seq, rows: Schema.Int,
  totals: Schema.Array(Schema.Struct({ currency: Schema.String, replayed_net: Minor, read_model_net: Minor })),
  differences: Schema.Array(DifferenceView),
}).annotate({ title: "Reconciliation" })

const dayOf = (value: string | undefined, field: string, end: boolean) =>
  value === undefined ? undefined : boundOf(value, field, end).slice(0, 10)

const CSV = "text/csv"
const NDJSON = "application/x-ndjson"

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  addRoute(app, {
    method: "GET",
    url: "/payments",
    summary: "Replay PAYMENTS itself: one row per payment or refund, as NDJSON or CSV (by Accept or format), streamed",
    description: "Reads the PAYMENTS stream, not a read model: by sequence range, business time and/or recorded time, " +
      "optionally one kiosk (its name as it was when each payment was recorded). Rows: seq, recorded_at, occurred_at, " +
      "type, kiosk_id, kiosk_name, payment_id, amount (minor units), currency, refund_id, actor, correlation_id. " +
      "Streamed with constant memory; the first row leaves as soon as it is read; reading stops when the client " +
      "goes away. A business-time range alone reads the whole stream (a payment may be recorded long after it was " +
      "taken). The read is recorded on AUDIT (who, when, which range).",
    access: ["admin", "auditor"],
    dependsOn: ["NATS"],
    schemas: {
      querystring: Schema.Struct({
        ...rangeQuery,
        format: Schema.optionalKey(Schema.Literals(["ndjson", "csv"]).annotate({ description: "Overrides Accept (for a plain link)" })),
      }),
      responses: { 200: Schema.String },
      produces: [NDJSON, CSV],
    },
    handler: async (request, reply) => {
      const range = rangeOf(request.query)
      const csv = request.query.format === "csv" || (request.query.format === undefined && (request.headers.accept ?? "").includes(CSV))
      await recordRead(app, request, "replay", range)
      const clients = await app.run(Nats)
      const body = new PassThrough()
      const gone = new AbortController()
      const stop = () => gone.abort()
      // The response closes when it is done or when the client goes away: either way the reading stops.
      reply.raw.once("close", stop)
      body.once("close", stop)
      if (csv) body.write(replayCsvHeader())
      void (async () => {
        for await (const row of replayPayments(clients, naming(app.settings.namespace), range, { signal: gone.signal })) {
          if (body.destroyed) return
          if (!body.write(csv ? replayCsvLine(row) : replayJsonLine(row))) await Promise.race([once(body, "drain"), once(body, "close")])
        }
      })().then(() => body.end(), (error: unknown) => {
        if (gone.signal.aborted) return
        request.log.error({ err: error }, "audit replay failed mid-stream")
        body.destroy(error instanceof Error ? error : new Error(String(error)))
      })
      const day = new Date().toISOString().slice(0, 10)
      return reply.type(csv ? `${CSV}; charset=utf-8` : NDJSON).header("cache-control", "no-store")
        .header("content-disposition", `attachment; filename="payments-replay-${day}.${csv ? "csv" : "ndjson"}"`).send(body)
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/status",
    summary: "Where the audit trail stands: the last seal, the last reconciliation and the last audit verify",
    access: ["admin", "auditor"],
    dependsOn: ["NATS"],
    schemas: {
      responses: {
        200: Schema.Struct({
          last_seal: Schema.NullOr(Schema.Struct({ seal_no: Schema.Int, to_seq: Seq, sealed_at: Schema.String })),
          last_reconciliation: Schema.NullOr(Schema.Struct({ at: Schema.String, through_seq: Seq, rows: Schema.Int, difference_count: Schema.Int })),
          last_verify: Schema.NullOr(Schema.Struct({ at: Schema.String, last_seq: Seq, checked: Schema.Int, finding_count: Schema.Int })),
        }).annotate({ title: "AuditStatus" }),
      },
    },
    handler: async () => {
      const { jsm } = await app.run(Nats)
      const names = naming(app.settings.namespace)
      const [seal, reconciliation, verify] = await Promise.all([lastSeal(jsm, names), lastReconciliation(jsm, names), lastVerification(jsm, names)])
      return {
        last_seal: seal === undefined ? null : { seal_no: seal.seal.sealNo, to_seq: seal.seal.toSeq, sealed_at: seal.sealedAt },
        last_reconciliation: reconciliation === undefined ? null : {
          at: reconciliation.time, through_seq: reconciliation.result.throughSeq, rows: reconciliation.result.rows,
          difference_count: reconciliation.result.differenceCount,
        },
        last_verify: verify === undefined ? null : {
          at: verify.time, last_seq: verify.result.lastSeq, checked: verify.result.checked, finding_count: verify.result.findingCount,
        },
      }
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/balances",
    summary: "Balances per kiosk and currency as of a stream sequence or an instant, by replaying PAYMENTS",
    description: "Replays PAYMENTS up to `as_of` (a sequence: up to and including it; a day or instant: what was recorded " +
      "before it) and sums per kiosk and currency: payments, gross, refunds, refunded, net. The read is recorded on AUDIT.",
    access: ["admin", "auditor"],
    dependsOn: ["NATS"],
    schemas: {
      querystring: Schema.Struct({ as_of: AsOf, kiosk_id: rangeQuery.kiosk_id }),
      responses: { 200: Schema.Struct({ as_of: Schema.String, through_seq: Seq, items: Schema.Array(BalanceView) }) },
    },
    handler: async (request) => {
      const { as_of: asOf } = request.query
      const kioskId = request.query.kiosk_id === undefined ? undefined : kioskIdOrCode(request.query.kiosk_id)
      const at: number | string = /^\d+$/.test(asOf) ? Number(asOf) : boundOf(asOf, "as_of", false)
      if (at === 0) throw badQuery("as_of", "a sequence starts at 1")
      await recordRead(app, request, "balances", typeof at === "number" ? { toSeq: at, kioskId } : { recordedTo: at, kioskId })
      const clients = await app.run(Nats)
      const { through_seq, items } = await balancesAsOf(clients, naming(app.settings.namespace), at, kioskId)
      return { as_of: String(at), through_seq, items }
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/reconciliation",
    summary: "Replayed PAYMENTS against the read model per kiosk, currency and day: every difference",
    description: "Reads the payments read model's daily sales (and its payments summed per day) at its checkpoint, replays " +
      "PAYMENTS up to that same sequence, and lists every field that differs. `from`/`to` are business days (a payment's " +
      "day; a refund's is the day it was recorded), `to` inclusive. The read is recorded on AUDIT.",
    access: ["admin", "auditor"],
    schemas: {
      querystring: Schema.Struct({ from: Schema.optionalKey(Bound), to: Schema.optionalKey(Bound), kiosk_id: rangeQuery.kiosk_id }),
      responses: { 200: ReconciliationView },
    },
    handler: async (request) => {
      const range = {
        fromDay: dayOf(request.query.from, "from", false),
        toDay: dayOf(request.query.to, "to", true),
        kioskId: request.query.kiosk_id === undefined ? undefined : kioskIdOrCode(request.query.kiosk_id),
      }
      await recordRead(app, request, "reconciliation", { from: range.fromDay, to: range.toDay, kioskId: range.kioskId })
      return app.run(reconcile(range))
    },
  })
}
