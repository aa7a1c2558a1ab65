// Solid components rendered in jsdom: the chart's accessible summary and the scanner's typed-code fallback.
import { fireEvent, render, screen } from "@solidjs/testing-library"
import { describe, expect, it } from "vitest"
import { can } from "../auth/permissions.ts"
import { Scanner } from "../pairing/Scanner.tsx"
import { BarChart } from "./BarChart.tsx"

describe("BarChart", () => {
  it("describes the series for screen readers and lists every value", () => {
    render(() => (
      <BarChart title="Sales" formatValue={(v) => `${v} €`} formatLabel={(day) => day.slice(5)}
        points={[{ label: "2026-11-27", value: 300 }, { label: "2026-11-28", value: 1200 }, { label: "2026-11-29", value: -100 }]} />
    ))
    expect(screen.getByRole("img")).toHaveAccessibleName("Sales: 3 days from 11-27 to 11-29, highest 1200 € on 11-28.")
    expect(screen.getAllByRole("row")).toHaveLength(4)
    expect(screen.getByRole("rowheader", { name: "11-29" }).nextElementSibling).toHaveTextContent("-100 €")
  })
})

describe("Scanner typed code", () => {
  it("submits a valid code in upper case and refuses anything else with a message", async () => {
    const codes: string[] = []
    render(() => <Scanner onCode={(code) => codes.push(code)} />)
    const input = screen.getByRole("textbox", { name: "Kiosk code" })
    const pair = screen.getByRole("button", { name: "Pair" })

    fireEvent.input(input, { target: { value: "no" } })
    fireEvent.click(pair)
    expect(await screen.findByText("That is not a kiosk code.")).toBeInTheDocument()
    expect(input).toHaveAttribute("aria-invalid", "true")

    fireEvent.input(input, { target: { value: "kiosk-7f3a" } })
    fireEvent.click(pair)
    expect(codes).toEqual(["KIOSK-7F3A"])
  })
})

describe("permissions", () => {
  it("offers each role only what it may do", () => {
    expect(can("operator", "pairKiosk")).toBe(true)
    expect(can("operator", "refundPayment")).toBe(false)
    expect(can("auditor", "viewPayments")).toBe(true)
    expect(can("auditor", "manageKiosk")).toBe(false)
    expect(can("admin", "manageUsers")).toBe(true)
    expect(can(undefined, "viewDashboard")).toBe(false)
  })
})
