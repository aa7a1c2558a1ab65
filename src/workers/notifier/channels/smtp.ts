// Email over SMTP with nodemailer's own SMTP client. One connection per message keeps a failure local to it.
//
// The SMTP server takes responsibility for a message when it reads the end-of-data line ("."), not before. We
// feed nodemailer the message as a stream and end it right after `handingOver` ran, so the delivery record's write
// leaves just before the "." does, with no I/O wait between. The Message-ID is derived from the notification id.
import { Readable } from "node:stream"
import { Effect } from "effect"
import addressparser from "nodemailer/lib/addressparser"
import MailComposer from "nodemailer/lib/mail-composer"
import { parseConnectionUrl } from "nodemailer/lib/shared"
import SMTPConnection, { type SMTPConnectionOptions } from "nodemailer/lib/smtp-connection"
import {
  type ChannelAdapter, type Delivered, DeliveryFailure, type DeliveryHooks, describeError, failure, type OutgoingMessage,
} from "./channel.ts"

export interface SmtpOptions {
  readonly url: string
  /** `Name <address>` or a bare address. */
  readonly from: string
  /** Bounds connecting, the greeting and every wait for a reply. */
  readonly timeoutMs: number
}

interface SmtpError {
  readonly code?: string
  readonly responseCode?: number
  readonly response?: string
  readonly permanent?: boolean
}

/** `<notificationId@sender-domain>`: the same notification always carries the same Message-ID. */
export const messageIdFor = (notificationId: string, fromAddress: string) =>
  `<${notificationId}@${fromAddress.split("@")[1] ?? "admin-kiosk.local"}>`

export function smtpChannel(options: SmtpOptions): ChannelAdapter {
  const { auth, ...server } = parseConnectionUrl(options.url)
  const parsedFrom = addressparser(options.from, { flatten: true })[0]
  const fromAddress = parsedFrom && "address" in parsedFrom && parsedFrom.address ? parsedFrom.address : options.from
  const connectionOptions: SMTPConnectionOptions = {
    ...(server as SMTPConnectionOptions),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    // Close at once after QUIT rather than waiting for the server's FIN.
    socketCloseTimeout: 0,
  }

  const deliver = (message: OutgoingMessage, hooks: DeliveryHooks) =>
    Effect.tryPromise({
      try: () => send(connectionOptions, auth, fromAddress, options.from, message, hooks.handingOver),
      catch: (error) => (error instanceof DeliveryFailure ? error : failure("retry", describeError(error))),
    })

  return { channel: "email", provider: "smtp", deliver, close: async () => {} }
}

async function send(
  connectionOptions: SMTPConnectionOptions,
  auth: { user: string; pass: string } | undefined,
  fromAddress: string,
  fromHeader: string,
  message: OutgoingMessage,
  handingOver: DeliveryHooks["handingOver"],
): Promise<Delivered> {
  const messageId = messageIdFor(message.notificationId, fromAddress)
  const mime = await new MailComposer({
    from: fromHeader,
    to: message.address,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    messageId,
    headers: { "X-Notification-Id": message.notificationId },
  }).compile().build()

  const connection = new SMTPConnection(connectionOptions)
  let handedOver = false
  // Our own Readable: nodemailer pipes it only after the server answered DATA with 354, so the first read means
  // "the envelope was accepted"; the stream ends (and nodemailer writes ".") only right after the hand-over. The
  // body (a few KB, below the socket's buffer) and the "." then leave in one flow, with no wait for a drain between.
  let phase: "body" | "gate" | "done" = "body"
  const body = new Readable({
    read() {
      if (phase === "body") {
        phase = "gate"
        this.push(mime)
      } else if (phase === "gate") {
        phase = "done"
        try {
          handingOver(messageId)
        } catch (error) {
          this.destroy(error instanceof Error ? error : new Error(String(error)))
          return
        }
        handedOver = true
        // A microtask queued now runs after the one that writes the hand-over record to NATS: ".", then, follows it
        // within this same turn of the event loop.
        queueMicrotask(() => this.push(null))
      }
    },
  })

  try {
    await new Promise<void>((resolve, reject) => {
      // Errors also arrive through the callbacks below; a listener must exist or the event would throw.
      connection.on("error", reject)
      connection.connect(() => resolve())
    })
    if (auth) {
      await new Promise<void>((resolve, reject) => connection.login(auth, (error) => (error ? reject(error) : resolve())))
    }
    const info = await new Promise<{ serverMessageId?: string | undefined }>((resolve, reject) =>
      connection.send({ from: fromAddress, to: [message.address] }, body, (error, result) =>
        error ? reject(error) : resolve(result ?? {})),
    )
    connection.quit()
    // Some relays (SES, Microsoft 365) replace the Message-ID and say so in their reply: theirs is the one to trace.
    return { provider: "smtp", providerMessageId: info.serverMessageId ?? messageId }
  } catch (error) {
    // Dropping the connection mid-DATA (no "." sent) makes the server discard the partial message.
    connection.close()
    throw classify(error, handedOver)
  }
}

function classify(error: unknown, handedOver: boolean): DeliveryFailure {
  const e = (error ?? {}) as SmtpError
  const reason = describeError(error)
  if (typeof e.responseCode === "number") {
    // nodemailer marks 5xx (but 503, a sequencing error) as permanent; 4xx is "try again later".
    const permanent = e.permanent ?? (e.responseCode >= 500 && e.responseCode !== 503)
    return failure(permanent ? "give-up" : "retry", `SMTP ${e.responseCode}: ${e.response ?? reason}`.slice(0, 300))
  }
  if (e.code === "ESTREAM" && !handedOver) return failure("retry", `hand-over not recorded: ${reason}`)
  if (e.code === "EAUTH") return failure("give-up", `SMTP authentication: ${reason}`)
  // No reply: before the hand-over nothing can have been accepted; after it, the server may have the message.
  return failure(handedOver ? "unknown" : "retry", `SMTP ${e.code ?? "error"}: ${reason}`)
}
