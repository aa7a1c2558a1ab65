// /notify: an admin's test email (proves the mail path end to end), the delivery log, and retrying a notification
// that failed for good. Delivery itself is the notifier worker's job; these routes only record requests.
import { Schema } from "effect"
import type { FastifyInstance } from "fastify"
import { Channel, Email, kioskIdOfPayment, requestNotification, retryNotification } from "../../commands/index.ts"
import { type ListedNotificationRow, listNotifications } from "../../projections/index.ts"
import { newId } from "../../platform/index.ts"
import { render, type Rendered, testEmail } from "../../workers/notifier/index.ts"
import { principalOf } from "../auth/authenticate.ts"
import { commandContext } from "../http/requestContext.ts"
import { addRoute } from "../route.ts"
import { IdempotencyKey, IdParams, Page, pageQuery, Seq } from "../shapes.ts"

const Requested = Schema.Struct({ notificationId: Schema.String, seq: Seq })
const Status = Schema.Literals(["requested", "sent", "failed"])

const Message = Schema.Struct({
  id: Schema.String,
  channel: Channel,
  address: Schema.String,
  /** The recipient's username; null for a message to a bare address (the test email). */
  recipient: Schema.NullOr(Schema.String),
  template: Schema.String,
  /** The words the recipient got, rendered from the template in their language (SMS has no subject of its own). */
  subject: Schema.String,
  body: Schema.String,
  /** What the message is about, for a link: its payment and/or its kiosk. */
  paymentId: Schema.NullOr(Schema.String),
  kioskId: Schema.NullOr(Schema.String),
  language: Schema.Literals(["en", "es"]),
  status: Schema.String,
  attempts: Schema.Int,
  reason: Schema.NullOr(Schema.String),
  provider: Schema.NullOr(Schema.String),
  userId: Schema.NullOr(Schema.String),
  requestedAt: Schema.String,
  updatedAt: Schema.String,
}).annotate({ title: "NotificationMessage" })

/** The message as delivered; a template this version no longer knows is shown by its name. */
function rendered(row: ListedNotificationRow): Rendered {
  try {
    return render(row.template, row.language, row.params, row.channel)
  } catch {
    return { subject: row.template, text: JSON.stringify(row.params) }
  }
}

const textParam = (row: ListedNotificationRow, key: string) => {
  const value = row.params[key]
  return typeof value === "string" ? value : null
}

function messageFromRow(row: ListedNotificationRow): typeof Message.Type {
  const { subject, text } = rendered(row)
  const paymentId = textParam(row, "paymentId")
  // Messages from before kioskId travelled in the params still name their kiosk through the payment's id.
  const kioskId = textParam(row, "kioskId") ?? (paymentId === null ? null : kioskIdOfPayment(paymentId) ?? null)
  return {
    id: row.notification_id,
    channel: row.channel,
    address: row.address,
    recipient: row.username,
    template: row.template,
    subject,
    body: text,
    paymentId,
    kioskId,
    language: row.language,
    status: row.status,
    attempts: row.attempts,
    reason: row.last_error,
    provider: row.provider,
    userId: row.user_id,
    requestedAt: row.requested_at,
    updatedAt: row.updated_at,
  }
}

export const TestEmailBody = Schema.Struct({ to: Email, language: Schema.optionalKey(Schema.Literals(["en", "es"])) })

export async function notifyRoutes(app: FastifyInstance) {
  addRoute(app, {
    method: "POST",
    url: "/test-email",
    summary: "Send a test email to an address (the notifier delivers it, or writes it to the outbox without SMTP)",
    description: "With an Idempotency-Key, a retried request asks for one email.",
    access: ["admin"],
    schemas: {
      headers: Schema.Struct({ "idempotency-key": Schema.optionalKey(IdempotencyKey) }),
      body: TestEmailBody,
      responses: { 202: Requested },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request)
      const requestedBy = principal.kind === "user" ? principal.username : principal.id
      // The same Idempotency-Key asks for the same email once; without one, each request is a new email.
      const email = testEmail({
        to: request.body.to,
        language: request.body.language,
        requestId: request.headers["idempotency-key"] ?? newId("req"),
        requestedBy,
      })
      const result = await app.command("requestTestEmail", requestNotification(email, commandContext(request)))
      return reply.code(202).send(result)
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/messages",
    summary: "The notification log, newest first: what was asked, sent, failed or kept in the outbox",
    access: ["admin"],
    schemas: {
      querystring: Schema.Struct({
        ...pageQuery,
        status: Schema.optionalKey(Status),
        channel: Schema.optionalKey(Channel),
        provider: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9_-]{0,39}$/u))
          .annotate({ description: "Who delivered it: smtp, twilio, fcm, or outbox (a channel that is not configured)" })),
      }),
      responses: { 200: Page(Message) },
    },
    handler: async (request) => {
      const { limit, cursor, min_seq, status, channel, provider } = request.query
      const page = await app.run(listNotifications({ limit, cursor, minSeq: min_seq, status, channel, provider }))
      return { items: page.items.map(messageFromRow), next_cursor: page.next_cursor }
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/messages/:id/retry",
    summary: "Try a failed notification again",
    access: ["admin"],
    schemas: { params: IdParams, responses: { 202: Requested } },
    handler: async (request, reply) => reply.code(202).send(await app.command("retryNotification", retryNotification(request.params.id, commandContext(request)))),
  })
}
