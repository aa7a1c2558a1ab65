// Push through the real firebase-admin SDK (v14: `firebase-admin/app` + `/messaging`, imported on first use).
//
// firebase-admin has no endpoint setting for FCM, but it takes an `httpAgent` for every request it makes (the OAuth
// token exchange and the v1 send). FCM_API_BASE gives that agent one origin to connect to for all Google hosts, as
// a hosts-file entry would: the SDK still signs the JWT, fetches the token and posts the v1 request itself.
import https from "node:https"
import net from "node:net"
import tls from "node:tls"
import { Effect } from "effect"
import {
  type ChannelAdapter, type Delivered, DeliveryFailure, type DeliveryHooks, describeError, failure, type OutgoingMessage,
} from "./channel.ts"

export interface FcmOptions {
  readonly projectId: string
  /** Path to a service-account JSON key. */
  readonly credentialsFile: string
  readonly apiBase?: string | undefined
}

type Send = (message: Record<string, unknown>) => Promise<string>

/** An https.Agent that connects to `base` whatever host the request names (TLS only when `base` is https). */
export function originAgent(base: URL): https.Agent {
  const port = Number(base.port || (base.protocol === "https:" ? 443 : 80))
  class OriginAgent extends https.Agent {
    override createConnection(options: tls.ConnectionOptions): net.Socket {
      if (base.protocol === "http:") return net.connect({ host: base.hostname, port })
      return tls.connect({ ...options, host: base.hostname, port, servername: base.hostname })
    }
  }
  return new OriginAgent({ keepAlive: true })
}

let appCounter = 0

export function fcmChannel(options: FcmOptions): ChannelAdapter {
  let sender: Promise<{ send: Send; close: () => Promise<void> }> | undefined
  const getSender = () => (sender ??= makeSender(options))

  const deliver = (message: OutgoingMessage, hooks: DeliveryHooks) =>
    Effect.tryPromise({
      try: async (): Promise<Delivered> => {
        const { send } = await getSender()
        try {
          hooks.handingOver(message.notificationId)
        } catch (error) {
          throw failure("retry", `hand-over not recorded: ${describeError(error)}`)
        }
        try {
          const name = await send(pushPayload(message))
          return { provider: "fcm", providerMessageId: name }
        } catch (error) {
          throw classify(error)
        }
      },
      catch: (error) => (error instanceof DeliveryFailure ? error : failure("retry", describeError(error))),
    })

  const close = async () => {
    if (sender) await (await sender).close()
  }
  return { channel: "push", provider: "fcm", deliver, close }
}

/**
 * The v1 message. The notification id is the collapse key on every platform, so if the same notification ever
 * reached a device twice it would replace itself rather than show twice.
 */
export function pushPayload(message: OutgoingMessage): Record<string, unknown> {
  return {
    token: message.address,
    notification: { title: message.subject, body: message.text },
    data: { notificationId: message.notificationId },
    android: { collapseKey: message.notificationId },
    apns: { headers: { "apns-collapse-id": message.notificationId.slice(0, 64) } },
    webpush: { headers: { Topic: message.notificationId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32) } },
  }
}

async function makeSender(options: FcmOptions) {
  const { initializeApp, cert, deleteApp } = await import("firebase-admin/app")
  const { getMessaging } = await import("firebase-admin/messaging")
  const agent = options.apiBase ? originAgent(new URL(options.apiBase)) : undefined
  const app = initializeApp(
    { credential: cert(options.credentialsFile, agent), projectId: options.projectId, ...(agent ? { httpAgent: agent } : {}) },
    `admin-kiosk-notifier-${process.pid}-${++appCounter}`,
  )
  const messaging = getMessaging(app)
  return {
    send: ((message) => messaging.send(message as unknown as Parameters<typeof messaging.send>[0])) as Send,
    close: async () => {
      await deleteApp(app)
      agent?.destroy()
    },
  }
}

interface FcmError {
  readonly code?: string
  readonly message?: string
}

const STALE = new Set(["messaging/registration-token-not-registered", "messaging/invalid-registration-token"])
const RETRY = new Set([
  "messaging/server-unavailable",
  "messaging/internal-error",
  "messaging/message-rate-exceeded",
  "messaging/device-message-rate-exceeded",
  "messaging/unknown-error",
])

function classify(error: unknown): DeliveryFailure {
  const e = (error ?? {}) as FcmError
  const code = e.code ?? ""
  const reason = `FCM ${code || "error"}: ${describeError(error)}`
  // FCM answers INVALID_ARGUMENT for a token that was never valid; that token is as dead as an unregistered one.
  const badToken = code === "messaging/invalid-argument" && /registration token/i.test(e.message ?? "")
  if (STALE.has(code) || badToken) return failure("give-up", reason, true)
  if (RETRY.has(code)) return failure("retry", reason)
  if (code === "app/network-error" || code === "app/network-timeout") {
    return failure(/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(e.message ?? "") ? "retry" : "unknown", reason)
  }
  if (code.startsWith("messaging/")) return failure("give-up", reason)
  // A credential or token-exchange failure happens before the send request: nothing left us.
  if (code.startsWith("app/")) return failure("retry", reason)
  return failure("unknown", reason)
}
