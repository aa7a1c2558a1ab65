// /payments, the reads: the scoped list (operators see the payments taken while a kiosk was theirs, everyone else
// all of them) with a search, the totals of everything a filter matches, the CSV export of all of it (streamed from
// one snapshot, a batch at a time), and one payment with its event history read from the PAYMENTS stream.
import { once } from "node:events"
import { PassThrough } from "node:stream"
import { Schema } from "effect"
import type { FastifyInstance, FastifyRequest } from "fastify"
import { kioskIdFor, PAYMENT_STATUSES, paymentHistory } from "../../commands/index.ts"
import { eachMatchingPayment, getPayment, listPayments, type PaymentFilter, paymentTotals } from "../../projections/index.ts"
import { scopeOf } from "../auth/access.ts"
import { principalOf } from "../auth/authenticate.ts"
import { csvHeaderLine, paymentCsvLine } from "../csv/paymentsCsv.ts"
import { boundOf } from "../instants.ts"
import { addRoute } from "../route.ts"
import {
  CurrencySchema, Id, IdParams, KioskCode, ListedPaymentView, Page, pageQuery, SearchText, Seq, Timestamp,
} from "../shapes.ts"
import { paymentFromRow } from "../views.ts"

/** A list bound: a UTC day or an instant. */
export const Bound = Schema.String.check(Schema.isPattern(/^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d{1,9})?Z)?$/u))
  .annotate({ description: "A UTC day (YYYY-MM-DD) or an ISO 8601 instant" })

const ID_PATTERN = /^[a-z]{2,4}_[0-9a-z]{8,64}$/u

/** What every read of many payments takes: who, which kiosk (by id or printed code), when, what state, a search. */
const filterQuery = {
  kiosk_id: Schema.optionalKey(Schema.Union([Id, KioskCode]).annotate({ description: "A kiosk's id, or its printed code (DEMO-0001)" })),
  currency: Schema.optionalKey(CurrencySchema),
  status: Schema.optionalKey(Schema.Literals(PAYMENT_STATUSES)),
  from: Schema.optionalKey(Bound),
  to: Schema.optionalKey(Bound),
  q: Schema.optionalKey(SearchText(80).annotate({
    description: "A payment id, an amount as typed (12.50, 12,5) or part of a kiosk's code or name",
  })),
  min_seq: pageQuery.min_seq,
} as const

type FilterQuery = { readonly [K in keyof typeof filterQuery]?: (typeof filterQuery)[K]["Type"] }

/** A kiosk named by its id or by its printed code. */
export const kioskIdOrCode = (value: string) => (ID_PATTERN.test(value) ? value : kioskIdFor(value))

const filterOf = (request: FastifyRequest, query: FilterQuery): PaymentFilter & { readonly minSeq?: number | undefined } => ({
  scope: scopeOf(principalOf(request)),
  kioskId: query.kiosk_id === undefined ? undefined : kioskIdOrCode(query.kiosk_id),
  currency: query.currency,
  status: query.status,
  from: query.from === undefined ? undefined : boundOf(query.from, "from", false),
  to: query.to === undefined ? undefined : boundOf(query.to, "to", true),
  search: query.q,
  minSeq: query.min_seq,
})

const BOUNDS = "`from` is inclusive, `to` exclusive for an instant and inclusive for a day; both between 2000-01-01 and a day from now."

const Totals = Schema.Struct({
  currency: CurrencySchema,
  count: Schema.Int,
  gross: Schema.Int.annotate({ description: "Taken, in minor units" }),
  refunded: Schema.Int.annotate({ description: "Refunded of these payments (whenever), in minor units" }),
  net: Schema.Int.annotate({ description: "gross − refunded, in minor units" }),
}).annotate({ title: "PaymentTotals" })

const HistoryEntry = Schema.Struct({
  seq: Seq,
  time: Timestamp,
  actor: Schema.Struct({
    kind: Schema.Literals(["user", "kiosk", "system"]),
    id: Schema.NullOr(Schema.String),
    role: Schema.NullOr(Schema.String),
    name: Schema.NullOr(Schema.String),
  }),
  correlationId: Schema.String,
  events: Schema.Array(Schema.Struct({
    type: Schema.String,
    data: Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Number, Schema.Boolean, Schema.Null])),
  })),
}).annotate({ title: "PaymentHistoryEntry" })

/** Event data as the history shows it: its scalar fields (our payment events have no nested ones). */
const scalars = (data: unknown): Record<string, string | number | boolean | null> =>
  Object.fromEntries(Object.entries(data as Record<string, unknown>).filter((entry): entry is [string, string | number | boolean | null] =>
    entry[1] === null || ["string", "number", "boolean"].includes(typeof entry[1])))

export async function paymentReadRoutes(app: FastifyInstance) {
  addRoute(app, {
    method: "GET",
    url: "",
    summary: "List payments (for an operator, those taken while the kiosk was theirs), newest first, a page at a time",
    description: `${BOUNDS} \`min_seq\` waits for the read model to include the payment a POST /payments answered with that \`seq\`.`,
    access: ["admin", "operator", "auditor"],
    schemas: {
      querystring: Schema.Struct({
        ...pageQuery,
        ...filterQuery,
        sort: Schema.optionalKey(Schema.Literals(["occurred_at", "-occurred_at", "amount", "-amount"])),
      }),
      responses: { 200: Page(ListedPaymentView) },
    },
    handler: async (request) => {
      const { limit, cursor, sort } = request.query
      const page = await app.run(listPayments({ ...filterOf(request, request.query), sort, limit, cursor }))
      return { items: page.items.map(paymentFromRow), next_cursor: page.next_cursor, seq: page.seq }
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/totals",
    summary: "Totals per currency of every payment the filter matches (not one page)",
    description: BOUNDS,
    access: ["admin", "operator", "auditor"],
    schemas: { querystring: Schema.Struct(filterQuery), responses: { 200: Schema.Struct({ items: Schema.Array(Totals) }) } },
    handler: async (request) => ({ items: await app.run(paymentTotals(filterOf(request, request.query))) }),
  })

  addRoute(app, {
    method: "GET",
    url: "/export.csv",
    summary: "Every payment the filter matches as CSV, oldest first, streamed",
    description: `${BOUNDS} All matching rows, however many: the edge reads them from one snapshot a batch at a time ` +
      "and writes each batch as the client takes it, so its memory does not grow with the export.",
    access: ["admin", "operator", "auditor"],
    schemas: { querystring: Schema.Struct(filterQuery), responses: { 200: Schema.String }, produces: "text/csv" },
    handler: async (request, reply) => {
      const filter = filterOf(request, request.query)
      const body = new PassThrough()
      body.write(csvHeaderLine())
      let firstBatch!: () => void
      const begun = new Promise<void>((resolve) => { firstBatch = resolve })
      const exported = app.run(eachMatchingPayment(filter, async (batch) => {
        firstBatch()
        if (body.destroyed) return false
        if (!body.write(batch.map(paymentCsvLine).join(""))) await once(body, "drain")
        return !body.destroyed
      }))
      let streaming = false
      exported.then(() => body.end(), (error: unknown) => {
        if (!streaming) return
        request.log.error({ err: error }, "payments export failed mid-stream")
        body.destroy(error instanceof Error ? error : new Error(String(error)))
      })
      // What refuses an export (a min_seq past the stream's end, a read model that cannot catch up, Postgres down)
      // happens before its first batch: answered as a problem then, never as a 200 cut off mid-stream.
      await Promise.race([begun, exported])
      streaming = true
      const day = new Date().toISOString().slice(0, 10)
      return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="payments-${day}.csv"`)
        .header("cache-control", "no-store").send(body)
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/:id",
    summary: "One payment with its refunds and every event on its subject of the PAYMENTS stream (404 if not the caller's)",
    access: ["admin", "operator", "auditor"],
    schemas: {
      params: IdParams,
      querystring: Schema.Struct({ min_seq: pageQuery.min_seq }),
      responses: { 200: Schema.Struct({ payment: ListedPaymentView, history: Schema.Array(HistoryEntry) }) },
    },
    handler: async (request) => {
      // The scoped read first: an operator learns nothing of a payment that is not theirs, not even its history.
      const row = await app.run(getPayment(request.params.id, { scope: scopeOf(principalOf(request)), minSeq: request.query.min_seq }))
      const history = await app.run(paymentHistory(request.params.id))
      return {
        payment: paymentFromRow(row),
        history: history.map((entry) => ({
          seq: entry.seq,
          time: entry.time,
          actor: {
            kind: entry.actor.kind,
            id: entry.actor.kind === "system" ? null : entry.actor.id,
            role: entry.actor.kind === "user" ? entry.actor.role : null,
            name: entry.actor.kind === "system" ? entry.actor.name : null,
          },
          correlationId: entry.correlationId,
          events: entry.events.map((event) => ({ type: event.type, data: scalars(event.data) })),
        })),
      }
    },
  })
}
