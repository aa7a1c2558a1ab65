import { describe, expect, it } from "vitest"
import { formatDuration, formatPercent, setLocale } from "../i18n/locale.ts"
import { uptimeStrip } from "./uptime.ts"

describe("uptime strip", () => {
  it("places each period in percent of the range, an open one up to its end, a short one as a sliver", () => {
    const segments = uptimeStrip({
      from: "2026-12-01T00:00:00.000Z", to: "2026-12-02T00:00:00.000Z",
      periods: [
        { offlineFrom: "2026-12-01T06:00:00.000Z", backAt: "2026-12-01T12:00:00.000Z", seconds: 21_600 },
        { offlineFrom: "2026-12-01T13:00:00.000Z", backAt: "2026-12-01T13:00:30.000Z", seconds: 30 },
        { offlineFrom: "2026-12-01T18:00:00.000Z", backAt: null, seconds: 21_600 },
      ],
    })
    expect(segments).toEqual([
      { left: 25, width: 25, open: false },
      { left: 13 / 24 * 100, width: 0.4, open: false },
      { left: 75, width: 25, open: true },
    ])
    expect(uptimeStrip({ from: "2026-12-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z", periods: [] })).toEqual([])
  })
  it("says how long in its two largest units, and the share online, in the UI language", () => {
    setLocale("en")
    expect(formatDuration(2 * 86_400 + 3 * 3_600 + 120)).toBe("2 days, 3 hr")
    expect(formatDuration(2 * 86_400 + 120)).toBe("2 days")
    expect(formatDuration(3_660)).toBe("1 hr, 1 min")
    expect(formatDuration(20)).toBe("20 sec")
    expect(formatPercent(0.995)).toBe("99.5%")
    setLocale("es")
    expect(formatDuration(3 * 3_600 + 5 * 60)).toBe("3 h y 5 min")
    expect(formatPercent(1)).toBe("100\u00a0%")
    setLocale("en")
  })
})
