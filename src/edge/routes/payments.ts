// /payments: a kiosk records its own sales (once per Idempotency-Key, however often it retries), admins refund,
// and the scoped list shows operators their kiosks' payments and everyone else all of them.
import { Schema } from "effect"
import type { FastifyInstance, FastifyRequest } from "fastify"
import { recordPayment, refundPayment } from "../../commands/index.ts"
import { PaymentRefunded } from "../../commands/payment/events.ts"
import { assertSelfOrUser } from "../auth/authenticate.ts"
import { commandContext } from "../http/requestContext.ts"
import { addRoute } from "../route.ts"
import { AmountSchema, CurrencySchema, Id, IdempotencyKey, IdParams, PaymentView, Seq, Timestamp } from "../shapes.ts"

export const REPLAYED_HEADER = "idempotent-replayed"

export async function paymentRoutes(app: FastifyInstance) {
  const perCaller = {
    max: app.limits.kioskPerMinute,
    timeWindow: 60_000,
    hook: "preHandler" as const,
    keyGenerator: (request: FastifyRequest) => request.principal?.id ?? request.ip,
  }

  addRoute(app, {
    method: "POST",
    url: "",
    summary: "Record a payment taken by a kiosk",
    description: "`amount` is an integer in the currency's minor units (1250 = 12.50 EUR). A retry with the same " +
      "Idempotency-Key answers the original payment (200, Idempotent-Replayed: true); the same key with a different " +
      "amount or currency is refused (422).",
    access: ["kiosk", "admin"],
    rateLimit: perCaller,
    schemas: {
      headers: Schema.Struct({ "idempotency-key": IdempotencyKey }),
      body: Schema.Struct({
        kiosk_id: Id,
        amount: AmountSchema,
        currency: CurrencySchema,
        occurred_at: Schema.optionalKey(Timestamp),
      }),
      responses: { 201: Schema.Struct({ payment: PaymentView, seq: Seq }), 200: Schema.Struct({ payment: PaymentView, seq: Seq }) },
    },
    handler: async (request, reply) => {
      const { kiosk_id: kioskId, amount, currency, occurred_at: occurredAt } = request.body
      assertSelfOrUser(request, kioskId)
      const idempotencyKey = request.headers["idempotency-key"]
      const { payment, seq, replayed } = await app.run(
        recordPayment({ kioskId, amount, currency, occurredAt, idempotencyKey }, commandContext(request)),
      )
      if (replayed) reply.header(REPLAYED_HEADER, "true")
      return reply.code(replayed ? 200 : 201).send({ payment, seq })
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/:id/refund",
    summary: "Refund all or part of a payment",
    description: "With an Idempotency-Key, a retried request refunds once.",
    access: ["admin"],
    schemas: {
      params: IdParams,
      headers: Schema.Struct({ "idempotency-key": Schema.optionalKey(IdempotencyKey) }),
      body: Schema.Struct({ amount: AmountSchema, reason: Schema.optionalKey(PaymentRefunded.fields.data.fields.reason) }),
      responses: {
        200: Schema.Struct({ payment: PaymentView, refund: Schema.Struct({ id: Id, amount: AmountSchema }), seq: Seq }),
      },
    },
    handler: async (request) => {
      const { amount, reason } = request.body
      const idempotencyKey = request.headers["idempotency-key"]
      return app.run(refundPayment(request.params.id, { amount, reason, idempotencyKey }, commandContext(request)))
    },
  })
}
