// SMS through the real twilio SDK (imported on first use: it is large). TWILIO_API_BASE points the SDK's own HTTP
// client at another origin (a local fake in tests, a regional proxy in production): the SDK still builds, signs and
// sends the request; only scheme, host and port of the URL change.
import { Effect } from "effect"
// Types only: the SDK itself loads on the first message.
import type twilioTypes from "twilio"
import {
  type ChannelAdapter, type Delivered, DeliveryFailure, type DeliveryHooks, describeError, failure, type OutgoingMessage,
} from "./channel.ts"

export interface TwilioOptions {
  readonly accountSid: string
  readonly authToken: string
  /** The sending number (E.164) or a Messaging Service SID (`MG…`). */
  readonly from: string
  readonly apiBase?: string | undefined
  readonly timeoutMs: number
}

type RequestOptions<T> = Parameters<InstanceType<typeof twilioTypes.RequestClient>["request"]>[0] & { data?: T }
type Client = { messages: { create(params: Record<string, unknown>): Promise<{ sid: string }> } }

export function twilioChannel(options: TwilioOptions): ChannelAdapter {
  let client: Promise<Client> | undefined
  const getClient = () => (client ??= makeClient(options))

  const deliver = (message: OutgoingMessage, hooks: DeliveryHooks) =>
    Effect.tryPromise({
      try: async (): Promise<Delivered> => {
        const sdk = await getClient()
        const sender = options.from.startsWith("MG") ? { messagingServiceSid: options.from } : { from: options.from }
        // The request below is the hand-over (Twilio keeps no idempotency key for Messages), recorded just before it.
        try {
          hooks.handingOver(message.notificationId)
        } catch (error) {
          throw failure("retry", `hand-over not recorded: ${describeError(error)}`)
        }
        try {
          const sent = await sdk.messages.create({ to: message.address, body: message.text, ...sender })
          return { provider: "twilio", providerMessageId: sent.sid }
        } catch (error) {
          throw classify(error)
        }
      },
      catch: (error) => (error instanceof DeliveryFailure ? error : failure("retry", describeError(error))),
    })

  return { channel: "sms", provider: "twilio", deliver, close: async () => {} }
}

async function makeClient(options: TwilioOptions): Promise<Client> {
  const { default: twilio } = await import("twilio")
  const base = options.apiBase ? new URL(options.apiBase) : undefined
  class RebasedRequestClient extends twilio.RequestClient {
    override request<T>(opts: RequestOptions<T>) {
      if (!base) return super.request<T>(opts)
      const uri = new URL(opts.uri)
      uri.protocol = base.protocol
      uri.host = base.host
      return super.request<T>({ ...opts, uri: uri.href })
    }
  }
  const httpClient = new RebasedRequestClient({ timeout: options.timeoutMs })
  // Our retries come from JetStream redelivery with back-off; the SDK's own 429 auto-retry stays off.
  return twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false }) as unknown as Client
}

interface TwilioError {
  readonly status?: number
  readonly code?: number | string
  readonly message?: string
}

const NOT_SENT_NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

function classify(error: unknown): DeliveryFailure {
  const e = (error ?? {}) as TwilioError
  if (typeof e.status === "number") {
    const reason = `Twilio ${e.status}${e.code !== undefined ? ` (${e.code})` : ""}: ${describeError(error)}`
    return failure(e.status === 429 || e.status >= 500 ? "retry" : "give-up", reason)
  }
  // No HTTP answer: refused before sending means nothing left us; a reset or timeout after sending may not.
  const code = typeof e.code === "string" ? e.code : undefined
  if (code && NOT_SENT_NETWORK.has(code)) return failure("retry", `Twilio unreachable (${code})`)
  return failure("unknown", `Twilio: ${describeError(error)}`)
}
