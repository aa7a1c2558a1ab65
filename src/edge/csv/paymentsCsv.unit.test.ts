import { describe, expect, it } from "vitest"
import type { PaymentRow } from "../../projections/index.ts"
import { csvField, csvHeaderLine, paymentCsvLine } from "./paymentsCsv.ts"

const payment: PaymentRow = {
  payment_id: "pay_00000001", kiosk_id: "kio_00000001", operator_id: "usr_00000001", amount: 1250, currency: "EUR",
  occurred_at: "2026-11-28T10:00:00.000Z", recorded_at: "2026-11-28T10:00:01.000Z", refunded_amount: 250, net_amount: 1000,
  refunds: [{ refund_id: "rfd_00000001", amount: 250, currency: "EUR", reason: "short", operator_id: null, refunded_at: "2026-11-28T11:00:00.000Z", seq: 9 }],
  seq: 8, kiosk_code: "DEMO-0001", kiosk_name: "Lobby, north", operator_name: "ana",
}

describe("payments CSV", () => {
  it("writes minor units and plain decimals by the currency's digits, names, status and refund count", () => {
    expect(csvHeaderLine()).toBe("payment_id,occurred_at,recorded_at,kiosk_id,kiosk_code,kiosk_name,operator,currency,amount_minor,amount,refunded_minor,refunded,net_minor,net,status,refunds\r\n")
    expect(paymentCsvLine(payment)).toBe(
      "pay_00000001,2026-11-28T10:00:00.000Z,2026-11-28T10:00:01.000Z,kio_00000001,DEMO-0001,\"Lobby, north\",ana,EUR,1250,12.50,250,2.50,1000,10.00,partially_refunded,1\r\n")
    expect(paymentCsvLine({ ...payment, currency: "JPY", refunded_amount: 0, net_amount: 1250, refunds: [], kiosk_name: null }))
      .toBe("pay_00000001,2026-11-28T10:00:00.000Z,2026-11-28T10:00:01.000Z,kio_00000001,DEMO-0001,,ana,JPY,1250,1250,0,0,1250,1250,captured,0\r\n")
  })
  it("quotes commas, quotes and line breaks, and defuses spreadsheet formulas", () => {
    expect(csvField('say "hi", then\nbye')).toBe('"say ""hi"", then\nbye"')
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)")
    expect(csvField("@SUM")).toBe("'@SUM")
    expect(csvField(-5)).toBe("-5")
    expect(csvField(null)).toBe("")
  })
})
