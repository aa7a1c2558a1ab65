// /payments, the commands: a kiosk records its own sales (once per Idempotency-Key, however often it retries) and
// admins refund. The reads (list, totals, export, one payment) are in paymentReads.ts.
import { Schema } from "effect"
import type { FastifyInstance } from "fastify"
import { recordPayment, refundPayment, RefundReason } from "../../commands/index.ts"
import { assertSelfOrUser } from "../auth/authenticate.ts"
import { commandContext } from "../http/requestContext.ts"
import { perCallerLimit } from "../http/rateLimits.ts"
import { addRoute } from "../route.ts"
import { AmountSchema, CurrencySchema, Id, IdempotencyKey, IdParams, Instant, PaymentView, Seq } from "../shapes.ts"

export const REPLAYED_HEADER = "idempotent-replayed"

export const PaymentBody = Schema.Struct({
  kiosk_id: Id,
  amount: AmountSchema,
  currency: CurrencySchema,
  occurred_at: Schema.optionalKey(Instant),
})
export const RefundBody = Schema.Struct({ amount: AmountSchema, reason: Schema.optionalKey(RefundReason) })

export async function paymentRoutes(app: FastifyInstance) {
  const perCaller = perCallerLimit(app)

  addRoute(app, {
    method: "POST",
    url: "",
    summary: "Record a payment taken by a kiosk",
    description: "`amount` is an integer in the currency's minor units (1250 = 12.50 EUR). A retry with the same " +
      "Idempotency-Key answers the original payment (200, Idempotent-Replayed: true); the same key with a different " +
      "amount or currency is refused (422). `occurred_at` (the kiosk's clock, now when absent) may be at most 5 minutes " +
      "ahead of the server and at most KIOSK_FORWARD_WINDOW_DAYS (default 90) days old, so an offline kiosk can forward later (422).",
    access: ["kiosk", "admin"],
    rateLimit: perCaller,
    schemas: {
      headers: Schema.Struct({ "idempotency-key": IdempotencyKey }),
      body: PaymentBody,
      responses: { 201: Schema.Struct({ payment: PaymentView, seq: Seq }), 200: Schema.Struct({ payment: PaymentView, seq: Seq }) },
    },
    handler: async (request, reply) => {
      const { kiosk_id: kioskId, amount, currency, occurred_at: occurredAt } = request.body
      assertSelfOrUser(request, kioskId)
      const idempotencyKey = request.headers["idempotency-key"]
      const { payment, seq, replayed } = await app.command("recordPayment", recordPayment({ kioskId, amount, currency, occurredAt, idempotencyKey }, commandContext(request)),
      )
      if (replayed) reply.header(REPLAYED_HEADER, "true")
      return reply.code(replayed ? 200 : 201).send({ payment, seq })
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/:id/refund",
    summary: "Refund all or part of a payment",
    description: "With an Idempotency-Key, a retried request refunds once and answers the original refund; the same key " +
      "with a different amount or reason is refused (422).",
    access: ["admin"],
    schemas: {
      params: IdParams,
      headers: Schema.Struct({ "idempotency-key": Schema.optionalKey(IdempotencyKey) }),
      body: RefundBody,
      responses: {
        200: Schema.Struct({ payment: PaymentView, refund: Schema.Struct({ id: Id, amount: AmountSchema }), seq: Seq }),
      },
    },
    handler: async (request) => {
      const { amount, reason } = request.body
      const idempotencyKey = request.headers["idempotency-key"]
      return app.command("refundPayment", refundPayment(request.params.id, { amount, reason, idempotencyKey }, commandContext(request)))
    },
  })
}
