// The channel adapters against real protocols: nodemailer to a real SMTP server, the real twilio and firebase-admin
// SDKs to local fakes of their HTTP APIs (pointed at by TWILIO_API_BASE / FCM_API_BASE).
import { Effect, Result } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FcmFake, INTERNAL, startFcmFake } from "../../../../test/fakes/fcm.ts"
import { type Mailbox, startMailbox } from "../../../../test/fakes/mailbox.ts"
import { startTwilioFake, type TwilioFake } from "../../../../test/fakes/twilio.ts"
import { render } from "../templates.ts"
import type { ChannelAdapter, DeliveryFailure, OutgoingMessage } from "./channel.ts"
import { fcmChannel } from "./fcm.ts"
import { smtpChannel } from "./smtp.ts"
import { twilioChannel } from "./twilio.ts"

const run = (adapter: ChannelAdapter, message: OutgoingMessage, handingOver = (_key: string) => {}) =>
  Effect.runPromise(Effect.result(adapter.deliver(message, { handingOver })))

const failureOf = (result: Result.Result<unknown, DeliveryFailure>) => {
  if (!Result.isFailure(result)) throw new Error("expected a failure")
  return result.failure
}

const receipt = (notificationId: string, address: string, channel: OutgoingMessage["channel"], language: "en" | "es" = "en"): OutgoingMessage => ({
  notificationId,
  channel,
  address,
  ...render("payment-receipt", language, {
    kioskName: "Lobby", amount: 123456, currency: "EUR", occurredAt: "2026-11-28T10:15:00Z", paymentId: "pay_0000000001",
  }, channel),
})

describe("email over SMTP (nodemailer → smtp-server)", () => {
  let mailbox: Mailbox
  let smtp: ChannelAdapter
  beforeAll(async () => {
    mailbox = await startMailbox()
    smtp = smtpChannel({ url: mailbox.url, from: "Admin Kiosk <alerts@kiosk.example>", timeoutMs: 5_000 })
  })
  afterAll(async () => {
    await smtp.close()
    await mailbox.close()
  })

  it("delivers to the right recipient with subject, body and a Message-ID made of the notification id", async () => {
    const handOvers: Array<{ key: string; seenByServer: number }> = []
    const result = await run(smtp, receipt("ntf_email00000001", "operator@example.com", "email"), (key) => {
      handOvers.push({ key, seenByServer: mailbox.attempts.length })
    })
    expect(Result.isSuccess(result)).toBe(true)
    const mail = mailbox.received.at(-1)!
    expect(mail.envelopeTo).toEqual(["operator@example.com"])
    expect(mail.envelopeFrom).toBe("alerts@kiosk.example")
    expect(mail.headers.get("to")).toBe("operator@example.com")
    expect(mail.subject).toBe("Payment received at Lobby: 1,234.56 EUR")
    expect(mail.text).toContain("A payment of 1,234.56 EUR was recorded at kiosk Lobby on 28 Nov 2026, 10:15 UTC.")
    expect(mail.text).toContain("Payment reference: pay_0000000001")
    expect(mail.messageId).toBe("<ntf_email00000001@kiosk.example>")
    expect(mail.notificationId).toBe("ntf_email00000001")
    expect(result).toEqual(Result.succeed({ provider: "smtp", providerMessageId: "<ntf_email00000001@kiosk.example>" }))
    // The hand-over was recorded before the server had the end of data.
    expect(handOvers).toEqual([{ key: "<ntf_email00000001@kiosk.example>", seenByServer: 0 }])
  })

  it("writes Spanish with its accents intact", async () => {
    await run(smtp, receipt("ntf_email00000002", "operadora@example.es", "email", "es"))
    const mail = mailbox.received.at(-1)!
    expect(mail.subject).toBe("Pago recibido en Lobby: 1.234,56 EUR")
    expect(mail.text).toContain("Se registró un pago de 1.234,56 EUR en el quiosco Lobby el 28 nov 2026, 10:15 UTC.")
  })

  it("classifies 451 as retry and 550 as give-up; neither is stored", async () => {
    const before = mailbox.received.length
    mailbox.script({ code: 451, message: "Try again later" }, { code: 550, message: "Mailbox unavailable" })
    const transient = failureOf(await run(smtp, receipt("ntf_email00000003", "a@example.com", "email")))
    expect(transient.outcome).toBe("retry")
    expect(transient.message).toMatch(/^SMTP 451/)
    const permanent = failureOf(await run(smtp, receipt("ntf_email00000004", "a@example.com", "email")))
    expect(permanent.outcome).toBe("give-up")
    expect(permanent.message).toMatch(/^SMTP 550/)
    expect(mailbox.received.length).toBe(before)
  })

  it("sends nothing when the hand-over cannot be recorded", async () => {
    const attempts = mailbox.attempts.length
    const result = failureOf(await run(smtp, receipt("ntf_email00000005", "a@example.com", "email"), () => {
      throw new Error("the claim lapsed")
    }))
    expect(result.outcome).toBe("retry")
    expect(result.message).toContain("hand-over not recorded")
    // The server never saw an end of data: the partial message was discarded with the connection.
    await new Promise((r) => setTimeout(r, 100))
    expect(mailbox.attempts.length).toBe(attempts)
  })

  it("treats an unreachable server as retry (nothing can have been accepted)", async () => {
    const closed = await startMailbox()
    await closed.close()
    const offline = smtpChannel({ url: closed.url, from: "alerts@kiosk.example", timeoutMs: 2_000 })
    const result = failureOf(await run(offline, receipt("ntf_email00000006", "a@example.com", "email")))
    expect(result.outcome).toBe("retry")
  })
})

describe("SMS through the real twilio SDK → local Messages API fake", () => {
  const accountSid = `AC${"0123456789abcdef".repeat(2)}`
  const authToken = "twilio-test-auth-token"
  let fake: TwilioFake
  let sms: ChannelAdapter
  beforeAll(async () => {
    fake = await startTwilioFake({ accountSid, authToken })
    sms = twilioChannel({ accountSid, authToken, from: "+15005550006", apiBase: fake.base, timeoutMs: 5_000 })
  })
  afterAll(async () => {
    await sms.close()
    await fake.close()
  })

  it("posts To, From and Body with Basic auth to /2010-04-01/Accounts/<sid>/Messages.json", async () => {
    const message: OutgoingMessage = {
      notificationId: "ntf_sms000000001", channel: "sms", address: "+34600111222",
      ...render("large-payment-alert", "es", { kioskName: "Lobby", amount: 75000, currency: "EUR", threshold: 50000, paymentId: "pay_0000000002" }, "sms"),
    }
    const handedOver: Array<string> = []
    const result = await run(sms, message, (key) => void handedOver.push(key))
    const request = fake.requests.at(-1)!
    expect(request.method).toBe("POST")
    expect(request.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`)
    expect(request.headers["content-type"]).toContain("application/x-www-form-urlencoded")
    expect(request.headers["user-agent"]).toMatch(/^twilio-node\/6\.3\.1/)
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: "+34600111222",
      From: "+15005550006",
      Body: "Admin Kiosk: pago elevado de 750,00 EUR en Lobby (más de 500,00 EUR). Ref pay_0000000002",
    })
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`)
    expect(result).toEqual(Result.succeed({ provider: "twilio", providerMessageId: fake.accepted.at(-1)!.sid }))
    expect(handedOver).toEqual(["ntf_sms000000001"])
  })

  it("retries on 429 and 5xx, gives up on 4xx", async () => {
    fake.script({ status: 429, code: 20429, message: "Too Many Requests" }, { status: 503, code: 20503, message: "Service unavailable" })
    const msg = (id: string, to = "+34600111222"): OutgoingMessage => ({ notificationId: id, channel: "sms", address: to, subject: "", text: "hi" })
    expect(failureOf(await run(sms, msg("ntf_sms000000002"))).outcome).toBe("retry")
    expect(failureOf(await run(sms, msg("ntf_sms000000003"))).outcome).toBe("retry")
    const invalid = failureOf(await run(sms, msg("ntf_sms000000004", "600111222")))
    expect(invalid.outcome).toBe("give-up")
    expect(invalid.message).toContain("Twilio 400 (21211)")
  })
})

describe("push through the real firebase-admin SDK → local OAuth + FCM v1 fake", () => {
  let fake: FcmFake
  let push: ChannelAdapter
  beforeAll(async () => {
    fake = await startFcmFake()
    push = fcmChannel({ projectId: fake.projectId, credentialsFile: fake.credentialsFile, apiBase: fake.base })
  })
  afterAll(async () => {
    await push.close()
    await fake.close()
  })

  it("exchanges a signed JWT for a token, then posts the v1 message with it", async () => {
    const message = receipt("ntf_push00000001", "device-token-1", "push")
    const result = await run(push, message)
    expect(fake.tokenRequests).toBe(1)
    const send = fake.sends.at(-1)!
    expect(fake.requests.at(-1)!.path).toBe(`/v1/projects/${fake.projectId}/messages:send`)
    expect(send.authorization).toMatch(/^Bearer ya29\./)
    expect(send.message).toEqual({
      token: "device-token-1",
      notification: { title: "Payment received at Lobby: 1,234.56 EUR", body: "1,234.56 EUR received at Lobby" },
      data: { notificationId: "ntf_push00000001" },
      android: { collapse_key: "ntf_push00000001" },
      apns: { headers: { "apns-collapse-id": "ntf_push00000001" } },
      webpush: { headers: { Topic: "ntf_push00000001" } },
    })
    expect(result).toEqual(Result.succeed({ provider: "fcm", providerMessageId: fake.accepted.at(-1)!.name }))
  })

  it("reports an UNREGISTERED token as stale (give up, remove it) and INTERNAL as retry", async () => {
    fake.unregister("dead-token")
    const stale = failureOf(await run(push, receipt("ntf_push00000002", "dead-token", "push")))
    expect(stale).toMatchObject({ outcome: "give-up", staleAddress: true })
    fake.script(INTERNAL)
    const transient = failureOf(await run(push, receipt("ntf_push00000003", "device-token-1", "push")))
    expect(transient).toMatchObject({ outcome: "retry", staleAddress: false })
    expect(fake.tokenRequests).toBe(1)
  })
})
