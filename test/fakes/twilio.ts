// A local fake of Twilio's Messages API (2010-04-01): the real twilio SDK posts to it when TWILIO_API_BASE points
// here. It checks Basic auth and the form fields, answers like Twilio (201 + message resource, or an error body).
import { randomBytes } from "node:crypto"
import { type FakeServer, type RecordedRequest, startFakeServer } from "./http.ts"

export interface TwilioMessageRequest {
  readonly accountSid: string
  readonly to: string
  readonly from: string | undefined
  readonly messagingServiceSid: string | undefined
  readonly body: string
  readonly authorization: string | undefined
}

export type TwilioReply = "accept" | { readonly status: number; readonly code: number; readonly message: string }

export interface TwilioFake extends FakeServer {
  /** Message requests as the SDK sent them (form fields decoded). */
  readonly messages: Array<TwilioMessageRequest>
  /** SIDs of the messages accepted, in order. */
  readonly accepted: Array<{ readonly sid: string; readonly to: string; readonly body: string }>
  script(...replies: ReadonlyArray<TwilioReply>): void
}

const PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/

export async function startTwilioFake(credentials: { accountSid: string; authToken: string }): Promise<TwilioFake> {
  const messages: Array<TwilioMessageRequest> = []
  const accepted: Array<{ sid: string; to: string; body: string }> = []
  const queue: Array<TwilioReply> = []
  const expectedAuth = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString("base64")}`

  const error = (status: number, code: number, message: string) => ({
    status,
    json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  })

  const server = await startFakeServer((request: RecordedRequest) => {
    const match = PATH.exec(request.path)
    if (request.method !== "POST" || !match) return error(404, 20404, "The requested resource was not found")
    if (request.headers.authorization !== expectedAuth || match[1] !== credentials.accountSid) {
      return error(401, 20003, "Authentication Error - invalid username")
    }
    const form = new URLSearchParams(request.body)
    const message: TwilioMessageRequest = {
      accountSid: match[1]!,
      to: form.get("To") ?? "",
      from: form.get("From") ?? undefined,
      messagingServiceSid: form.get("MessagingServiceSid") ?? undefined,
      body: form.get("Body") ?? "",
      authorization: request.headers.authorization,
    }
    messages.push(message)
    if (!/^\+[1-9]\d{6,14}$/.test(message.to)) return error(400, 21211, `The 'To' number ${message.to} is not a valid phone number.`)
    const reply = queue.shift() ?? "accept"
    if (reply !== "accept") return error(reply.status, reply.code, reply.message)
    const sid = `SM${randomBytes(16).toString("hex")}`
    accepted.push({ sid, to: message.to, body: message.body })
    const now = new Date().toUTCString()
    return {
      status: 201,
      json: {
        sid, account_sid: message.accountSid, to: message.to, from: message.from ?? null,
        messaging_service_sid: message.messagingServiceSid ?? null, body: message.body, status: "queued",
        num_segments: "1", direction: "outbound-api", api_version: "2010-04-01", date_created: now, date_updated: now,
        date_sent: null, error_code: null, error_message: null, price: null, price_unit: "USD",
        uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${sid}.json`,
      },
    }
  })
  return { ...server, messages, accepted, script: (...replies) => void queue.push(...replies) }
}
