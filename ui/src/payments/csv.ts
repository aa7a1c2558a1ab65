// Payments as CSV (RFC 4180): amounts both as minor units and as a plain decimal, never localised.
import { formatMinor, isCurrency } from "../../../src/commands/shared/currency.ts"
import type { Payment } from "../api/types.ts"

const HEADER = ["payment_id", "kiosk_id", "occurred_at", "currency", "amount_minor", "amount", "refunded_minor", "net_minor", "net", "status"]

/** Quotes a field when it holds a comma, quote or line break; a leading =+-@ is defused against spreadsheet formulas. */
export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value)
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function paymentsCsv(payments: Iterable<Payment>): string {
  const lines = [HEADER.join(",")]
  for (const p of payments) {
    const decimal = (minor: number) => (isCurrency(p.currency) ? formatMinor(minor, p.currency) : "")
    lines.push([p.id, p.kioskId, p.occurredAt, p.currency, p.amount, decimal(p.amount), p.refunded, p.net, decimal(p.net), p.status]
      .map(csvField).join(","))
  }
  return `${lines.join("\r\n")}\r\n`
}
