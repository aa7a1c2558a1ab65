// A real SMTP server (the smtp-server package) on 127.0.0.1 that keeps what it accepts, for tests. Not a fake of
// nodemailer: our code talks the real protocol to it. Replies can be scripted per message (451, 550…).
import type { AddressInfo } from "node:net"
import { SMTPServer } from "smtp-server"

export interface ReceivedMail {
  readonly envelopeFrom: string
  readonly envelopeTo: ReadonlyArray<string>
  readonly headers: ReadonlyMap<string, string>
  readonly subject: string
  readonly text: string
  readonly messageId: string
  /** Our `X-Notification-Id` header. */
  readonly notificationId: string
  readonly raw: string
}

/** What the server answers to one message's end of data: accept, or an SMTP code and text. */
export type Reply = "accept" | { readonly code: number; readonly message: string }

export interface Mailbox {
  readonly url: string
  readonly port: number
  readonly received: Array<ReceivedMail>
  /** Every end-of-data the server saw, accepted or not, in order. */
  readonly attempts: Array<{ readonly notificationId: string; readonly reply: Reply }>
  /** Answers for the next messages, first in first used; afterwards every message is accepted. */
  script(...replies: ReadonlyArray<Reply>): void
  /** Resolves once `count` messages were accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startMailbox(options: { port?: number; delayMs?: number } = {}): Promise<Mailbox> {
  const received: Array<ReceivedMail> = []
  const attempts: Array<{ notificationId: string; reply: Reply }> = []
  const queue: Array<Reply> = []
  const waiters = new Set<() => void>()

  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    // A reverse DNS lookup per connection costs ~100 ms here and tells a test nothing.
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Array<Buffer> = []
      stream.on("data", (chunk: Buffer) => chunks.push(chunk))
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8")
        const mail = parseMail(raw, session.envelope)
        const reply = queue.shift() ?? "accept"
        attempts.push({ notificationId: mail.notificationId, reply })
        const answer = () => {
          if (reply === "accept") {
            received.push(mail)
            for (const wake of waiters) wake()
            return callback(null, `OK queued as ${received.length}`)
          }
          const error = Object.assign(new Error(reply.message), { responseCode: reply.code })
          callback(error)
        }
        if (options.delayMs) setTimeout(answer, options.delayMs)
        else answer()
      })
    },
  })
  // A client that dies mid-session (a SIGKILLed worker) resets its connections; a server notes that and goes on.
  server.on("error", () => {})
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  const port = (server.server.address() as AddressInfo).port

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    attempts,
    script: (...replies) => void queue.push(...replies),
    waitFor: (count, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (received.length < count) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`mailbox: ${received.length} of ${count} messages after ${timeoutMs} ms`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function parseMail(raw: string, envelope: { mailFrom: false | { address: string }; rcptTo: ReadonlyArray<{ address: string }> }): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n")
  const head = raw.slice(0, split)
  const body = raw.slice(split + 4)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":")
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return {
    envelopeFrom: envelope.mailFrom ? envelope.mailFrom.address : "",
    envelopeTo: envelope.rcptTo.map((r) => r.address),
    headers,
    subject: decodeWords(headers.get("subject") ?? ""),
    text: decodeBody(body, headers.get("content-transfer-encoding") ?? "7bit"),
    messageId: headers.get("message-id") ?? "",
    notificationId: headers.get("x-notification-id") ?? "",
    raw,
  }
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); adjacent words join without the space between. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : qpBytes(text.replace(/_/g, " ")).toString("utf8"))
}

function decodeBody(body: string, encoding: string): string {
  const trimmed = body.replace(/\r\n$/, "")
  switch (encoding.toLowerCase()) {
    case "quoted-printable":
      return qpBytes(trimmed.replace(/=\r\n/g, "")).toString("utf8").replace(/\r\n/g, "\n")
    case "base64":
      return Buffer.from(trimmed.replace(/\s+/g, ""), "base64").toString("utf8").replace(/\r\n/g, "\n")
    default:
      return trimmed.replace(/\r\n/g, "\n")
  }
}

function qpBytes(text: string): Buffer {
  const bytes: Array<number> = []
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3)
    if (text[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(...Buffer.from(text[i]!, "utf8"))
    }
  }
  return Buffer.from(bytes)
}
