// Payments as CSV (RFC 4180) for spreadsheets: amounts both as integer minor units and as a plain decimal (never
// localised, never through a float), kiosks and operators by name, and a cell that starts like a formula defused.
import { formatMinor, isCurrency, paymentStatus } from "../../commands/index.ts"
import type { PaymentRow } from "../../projections/index.ts"
import { csvLine } from "../../platform/index.ts"

export const PAYMENTS_CSV_HEADER = [
  "payment_id", "occurred_at", "recorded_at", "kiosk_id", "kiosk_code", "kiosk_name", "operator", "currency",
  "amount_minor", "amount", "refunded_minor", "refunded", "net_minor", "net", "status", "refunds",
] as const

export { csvField } from "../../platform/index.ts"
const line = csvLine

export const csvHeaderLine = () => line(PAYMENTS_CSV_HEADER)

export function paymentCsvLine(p: PaymentRow): string {
  const decimal = (minor: number) => (isCurrency(p.currency) ? formatMinor(minor, p.currency) : null)
  return line([
    p.payment_id, p.occurred_at, p.recorded_at, p.kiosk_id, p.kiosk_code, p.kiosk_name, p.operator_name, p.currency,
    p.amount, decimal(p.amount), p.refunded_amount, decimal(p.refunded_amount), p.net_amount, decimal(p.net_amount),
    paymentStatus(p.refunded_amount, p.net_amount), p.refunds.length,
  ])
}
