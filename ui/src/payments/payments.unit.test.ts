import { describe, expect, it } from "vitest"
import type { Payment } from "../api/types.ts"
import { parseMinor } from "./amount.ts"
import { csvField, paymentsCsv } from "./csv.ts"

describe("parseMinor", () => {
  it("reads decimals with a point or a comma into minor units of the currency's ISO 4217 exponent", () => {
    expect(parseMinor("12.5", "EUR")).toBe(1250)
    expect(parseMinor("12,50", "EUR")).toBe(1250)
    expect(parseMinor(" 7 ", "EUR")).toBe(700)
    expect(parseMinor("1500", "JPY")).toBe(1500)
    expect(parseMinor("1.234", "KWD")).toBe(1234)
    expect(parseMinor("0.1", "EUR")).toBe(10)
  })
  it("refuses more decimals than the currency has, signs, words and unknown currencies", () => {
    for (const [text, currency] of [["12.345", "EUR"], ["1.5", "JPY"], ["-3", "EUR"], ["1e3", "EUR"], ["", "EUR"], ["12", "XXX"]]) {
      expect(parseMinor(text!, currency!)).toBeNull()
    }
  })
})

describe("payments CSV", () => {
  const payment: Payment = {
    id: "pay_1", kioskId: "kio_1", amount: 1250, currency: "EUR", refunded: 250, net: 1000, status: "partially_refunded",
    operatorId: null, occurredAt: "2026-11-28T10:00:00Z",
  }
  it("writes a header and one line per payment with minor units and plain decimals", () => {
    expect(paymentsCsv([payment, { ...payment, id: "pay_2", currency: "JPY", amount: 500, refunded: 0, net: 500, status: "captured" }])).toBe(
      "payment_id,kiosk_id,occurred_at,currency,amount_minor,amount,refunded_minor,net_minor,net,status\r\n"
      + "pay_1,kio_1,2026-11-28T10:00:00Z,EUR,1250,12.50,250,1000,10.00,partially_refunded\r\n"
      + "pay_2,kio_1,2026-11-28T10:00:00Z,JPY,500,500,0,500,500,captured\r\n",
    )
  })
  it("quotes commas, quotes and line breaks, and defuses spreadsheet formulas", () => {
    expect(csvField('say "hi", then\nbye')).toBe('"say ""hi"", then\nbye"')
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)")
    expect(csvField(-5)).toBe("-5")
    expect(csvField(null)).toBe("")
  })
})
