// The words of every notification, in English and Spanish. A notification stores its template name, language and
// parameters (never the rendered text), so rendering happens at delivery and in the console's outbox alike.
import { type Currency, formatMinor, isCurrency, type Language, localise } from "../../commands/index.ts"
import type { ChannelName } from "./channels/channel.ts"

export const TEMPLATES = [
  "payment-receipt", "large-payment-alert", "refund-notice", "kiosk-offline", "kiosk-online", "test-email",
] as const
export type TemplateName = (typeof TEMPLATES)[number]
export const isTemplate = (name: string): name is TemplateName => (TEMPLATES as ReadonlyArray<string>).includes(name)

export type Params = Readonly<Record<string, string | number | null>>

export interface Rendered {
  /** Email subject, push title (SMS has none). */
  readonly subject: string
  /** Plain-text body; the whole message for SMS. */
  readonly text: string
}

interface Words {
  readonly subject: (p: Reader) => string
  readonly body: (p: Reader) => string
  /** One line for SMS and push: short, no greeting. */
  readonly short: (p: Reader) => string
}

const APP = "Admin Kiosk"

const words: Record<TemplateName, Record<Language, Words>> = {
  "payment-receipt": {
    en: {
      subject: (p) => `Payment received at ${p.text("kioskName")}: ${p.money()}`,
      body: (p) => `A payment of ${p.money()} was recorded at kiosk ${p.text("kioskName")} on ${p.date("occurredAt")}.\n\nPayment reference: ${p.text("paymentId")}`,
      short: (p) => `${p.money()} received at ${p.text("kioskName")}`,
    },
    es: {
      subject: (p) => `Pago recibido en ${p.text("kioskName")}: ${p.money()}`,
      body: (p) => `Se registró un pago de ${p.money()} en el quiosco ${p.text("kioskName")} el ${p.date("occurredAt")}.\n\nReferencia del pago: ${p.text("paymentId")}`,
      short: (p) => `${p.money()} recibido en ${p.text("kioskName")}`,
    },
  },
  "large-payment-alert": {
    en: {
      subject: (p) => `Large payment: ${p.money()} at ${p.text("kioskName")}`,
      body: (p) => `A payment of ${p.money()} at kiosk ${p.text("kioskName")} is above the alert threshold of ${p.money("threshold")}.\n\nPayment reference: ${p.text("paymentId")}`,
      short: (p) => `${APP}: large payment ${p.money()} at ${p.text("kioskName")} (over ${p.money("threshold")}). Ref ${p.text("paymentId")}`,
    },
    es: {
      subject: (p) => `Pago elevado: ${p.money()} en ${p.text("kioskName")}`,
      body: (p) => `Un pago de ${p.money()} en el quiosco ${p.text("kioskName")} supera el umbral de alerta de ${p.money("threshold")}.\n\nReferencia del pago: ${p.text("paymentId")}`,
      short: (p) => `${APP}: pago elevado de ${p.money()} en ${p.text("kioskName")} (más de ${p.money("threshold")}). Ref ${p.text("paymentId")}`,
    },
  },
  "refund-notice": {
    en: {
      subject: (p) => `Refund of ${p.money()} at ${p.text("kioskName")}`,
      body: (p) => `${p.money()} of payment ${p.text("paymentId")} at kiosk ${p.text("kioskName")} was refunded.\nReason: ${p.text("reason")}\n\nRefund reference: ${p.text("refundId")}`,
      short: (p) => `Refund of ${p.money()} at ${p.text("kioskName")}`,
    },
    es: {
      subject: (p) => `Reembolso de ${p.money()} en ${p.text("kioskName")}`,
      body: (p) => `Se reembolsaron ${p.money()} del pago ${p.text("paymentId")} en el quiosco ${p.text("kioskName")}.\nMotivo: ${p.text("reason")}\n\nReferencia del reembolso: ${p.text("refundId")}`,
      short: (p) => `Reembolso de ${p.money()} en ${p.text("kioskName")}`,
    },
  },
  "kiosk-offline": {
    en: {
      subject: (p) => `Kiosk ${p.text("kioskName")} is offline`,
      body: (p) => `Kiosk ${p.text("kioskName")} has stopped sending heartbeats. Last seen: ${p.date("lastSeenAt", "never")}.\n\nYou will hear from us again when it is back.`,
      short: (p) => `${APP}: kiosk ${p.text("kioskName")} is offline (last seen ${p.date("lastSeenAt", "never")})`,
    },
    es: {
      subject: (p) => `El quiosco ${p.text("kioskName")} está desconectado`,
      body: (p) => `El quiosco ${p.text("kioskName")} ha dejado de enviar señales. Última vez visto: ${p.date("lastSeenAt", "nunca")}.\n\nLe avisaremos cuando vuelva.`,
      short: (p) => `${APP}: el quiosco ${p.text("kioskName")} está desconectado (visto por última vez ${p.date("lastSeenAt", "nunca")})`,
    },
  },
  "kiosk-online": {
    en: {
      subject: (p) => `Kiosk ${p.text("kioskName")} is back online`,
      body: (p) => `Kiosk ${p.text("kioskName")} is sending heartbeats again since ${p.date("at")}.`,
      short: (p) => `${APP}: kiosk ${p.text("kioskName")} is back online`,
    },
    es: {
      subject: (p) => `El quiosco ${p.text("kioskName")} vuelve a estar conectado`,
      body: (p) => `El quiosco ${p.text("kioskName")} vuelve a enviar señales desde ${p.date("at")}.`,
      short: (p) => `${APP}: el quiosco ${p.text("kioskName")} vuelve a estar conectado`,
    },
  },
  "test-email": {
    en: {
      subject: () => `${APP} test email`,
      body: (p) => `This is a test email from ${APP}, sent at the request of ${p.text("requestedBy")}. If you can read it, email delivery works.`,
      short: () => `${APP} test message`,
    },
    es: {
      subject: () => `Correo de prueba de ${APP}`,
      body: (p) => `Este es un correo de prueba de ${APP}, enviado a petición de ${p.text("requestedBy")}. Si puede leerlo, el envío de correo funciona.`,
      short: () => `Mensaje de prueba de ${APP}`,
    },
  },
}

export function render(template: string, language: Language, params: Params, channel: ChannelName): Rendered {
  if (!isTemplate(template)) throw new Error(`unknown notification template "${template}"`)
  const w = words[template][language]
  const p = reader(language, params)
  const subject = w.subject(p)
  if (channel === "email") return { subject: `${subject}`, text: `${w.body(p)}\n\n— ${APP}` }
  return { subject, text: w.short(p) }
}

interface Reader {
  text(key: string): string
  /** `amount` + `currency` (or `<key>` + `currency`), in minor units, formatted for the language. */
  money(key?: string): string
  date(key: string, missing?: string): string
}

function reader(language: Language, params: Params): Reader {
  const raw = (key: string) => params[key]
  return {
    text: (key) => String(raw(key) ?? "—"),
    money: (key = "amount") => {
      const amount = raw(key)
      const currency = String(raw("currency") ?? "")
      if (typeof amount !== "number" || !isCurrency(currency)) return String(amount ?? "—")
      return `${localise(formatMinor(amount, currency as Currency), language)} ${currency}`
    },
    date: (key, missing = "—") => {
      const value = raw(key)
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) return missing
      const formatted = new Intl.DateTimeFormat(language === "es" ? "es-ES" : "en-GB", {
        dateStyle: "medium", timeStyle: "short", timeZone: "UTC",
      }).format(new Date(value))
      return `${formatted} UTC`
    },
  }
}
