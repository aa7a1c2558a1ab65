// Solid components rendered in jsdom: the chart's accessible summary, table, axis labels and keys and the scanner's typed-code fallback.
import { fireEvent, render, screen } from "@solidjs/testing-library"
import { describe, expect, it } from "vitest"
import { can } from "../auth/permissions.ts"
import { Scanner } from "../pairing/Scanner.tsx"
import { Chart } from "./chart/Chart.tsx"
import { labelledIndices, movedIndex, yRange } from "./chart/model.ts"
import { salesChartData } from "./chart/SalesChart.tsx"

describe("Chart", () => {
  it("names the chart with a summary and lists every value, bands as low – high, in a table", () => {
    render(() => (
      <Chart title="Sales" formatValue={(v) => `${v} €`} formatX={(day) => day.slice(5)}
        x={["2026-11-27", "2026-11-28", "2026-11-29"]}
        series={[{ label: "Net", values: [300, 1200, -100] }, { label: "Forecast", values: [null, null, 50], style: "line" }]}
        bands={[{ label: "80%", lower: [null, null, 10], upper: [null, null, 90] }]} />
    ))
    expect(screen.getByRole("img")).toHaveAccessibleName("Sales: 3 days from 11-27 to 11-29, highest 1200 € on 11-28.")
    expect(screen.getByRole("img")).toHaveAttribute("tabindex", "0")
    expect(screen.getAllByRole("row")).toHaveLength(4)
    expect(screen.getByRole("columnheader", { name: "80%" })).toBeInTheDocument()
    const last = screen.getByRole("rowheader", { name: "11-29" }).parentElement!
    expect([...last.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["-100 €", "50 €", "10 € – 90 €"])
    expect(screen.getByRole("list", { name: "Legend" })).toHaveTextContent("NetForecast80%")
  })
  it("labels every k-th x value counted back from the newest, so the last one always has a label", () => {
    expect(labelledIndices(30, 5)).toEqual([4, 10, 16, 22, 28].map((i) => i + 1))
    expect(labelledIndices(3, 10)).toEqual([0, 1, 2])
    expect(labelledIndices(0, 10)).toEqual([])
    expect(labelledIndices(5, 0.5)).toEqual([4])
  })
  it("keeps zero on the y axis and makes room for the bands", () => {
    expect(yRange({ title: "", x: ["a"], series: [{ label: "", values: [null] }] })).toEqual([0, 1])
    const [lo, hi] = yRange({ title: "", x: ["a", "b"], series: [{ label: "", values: [100, 50] }], bands: [{ label: "", lower: [null, 20], upper: [null, 200] }] })
    expect(lo).toBe(0)
    expect(hi).toBeGreaterThan(200)
    expect(yRange({ title: "", x: ["a"], series: [{ label: "", values: [-100] }] })[1]).toBe(0)
  })
  it("moves through the points with the arrow keys, Home and End", () => {
    expect(movedIndex("ArrowLeft", null, 5)).toBe(4)
    expect(movedIndex("ArrowLeft", 0, 5)).toBe(0)
    expect(movedIndex("ArrowRight", 3, 5)).toBe(4)
    expect(movedIndex("ArrowRight", 4, 5)).toBe(4)
    expect(movedIndex("Home", 3, 5)).toBe(0)
    expect(movedIndex("End", 0, 5)).toBe(4)
    expect(movedIndex("a", 0, 5)).toBeUndefined()
    expect(movedIndex("End", null, 0)).toBeUndefined()
  })
  it("continues the sales bars with a forecast line joined to the last day and its two bands after it", () => {
    const data = salesChartData("Sales", { days: ["2026-11-28", "2026-11-29"], net: [100, 200], label: "Net" }, {
      days: [
        { date: "2026-11-29", point: 1, lo80: 1, hi80: 1, lo95: 1, hi95: 1 },
        { date: "2026-11-30", point: 210, lo80: 150, hi80: 260, lo95: 120, hi95: 300 },
      ],
      labels: { point: "Forecast", band80: "80%", band95: "95%" },
    })
    expect(data.x).toEqual(["2026-11-28", "2026-11-29", "2026-11-30"])
    expect(data.series.map((s) => s.values)).toEqual([[100, 200, null], [null, 200, 210]])
    expect(data.bands?.map((b) => [b.label, b.lower, b.upper])).toEqual([
      ["95%", [null, null, 120], [null, null, 300]],
      ["80%", [null, null, 150], [null, null, 260]],
    ])
    expect(salesChartData("Sales", { days: ["2026-11-29"], net: [5], label: "Net" }).series).toHaveLength(1)
  })
  it("draws the seasonal-naive baseline dashed over the forecast's days only", () => {
    const day = (date: string, point: number) => ({ date, point, lo80: point, hi80: point, lo95: point, hi95: point })
    const data = salesChartData("Sales", { days: ["2026-11-28", "2026-11-29"], net: [100, 200], label: "Net" }, {
      days: [day("2026-11-30", 210), day("2026-12-01", 220)],
      baseline: [{ date: "2026-11-29", point: 1 }, { date: "2026-11-30", point: 100 }, { date: "2026-12-01", point: 190 }],
      labels: { point: "Forecast", band80: "80%", band95: "95%", baseline: "Seasonal naive" },
    })
    expect(data.series.at(-1)).toEqual({ label: "Seasonal naive", values: [null, null, 100, 190], style: "line", tone: "baseline", dashed: true })
  })
})

describe("Scanner typed code", () => {
  it("submits a whole pairing code, normalised, and refuses the kiosk code alone with a message", async () => {
    const codes: string[] = []
    render(() => <Scanner onCode={(code) => codes.push(code)} />)
    const input = screen.getByRole("textbox", { name: "Pairing code" })
    const pair = screen.getByRole("button", { name: "Pair" })

    fireEvent.input(input, { target: { value: "kiosk-7f3a" } })
    fireEvent.click(pair)
    expect(await screen.findByText(/That is not a pairing code\. The kiosk code alone does not pair/)).toBeInTheDocument()
    expect(input).toHaveAttribute("aria-invalid", "true")

    fireEvent.input(input, { target: { value: "kiosk-7f3a 7f3a-q2zp-9k4m-x8wd" } })
    fireEvent.click(pair)
    expect(codes).toEqual(["KIOSK-7F3A:7F3AQ2ZP9K4MX8WD"])
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
    // Every role reads the recommendations of the kiosks it sees; the fleet's forecast is the admins' and auditors'.
    expect((["admin", "operator", "auditor"] as const).map((role) => can(role, "viewRecommendations"))).toEqual([true, true, true])
    expect((["admin", "operator", "auditor"] as const).map((role) => can(role, "viewFleetForecast"))).toEqual([true, false, true])
  })
})
