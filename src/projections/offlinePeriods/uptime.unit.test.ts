import { describe, expect, it } from "vitest"
import { uptimeOver } from "./uptime.ts"

const at = (hhmm: string) => `2026-12-01T${hhmm}:00.000Z`
const ms = (hhmm: string) => Date.parse(at(hhmm))

describe("uptime over a window", () => {
  it("clips periods to the window, counts overlaps once and keeps a period still open", () => {
    const uptime = uptimeOver([
      { offline_from: at("09:00"), back_at: at("11:00") }, // starts before the window
      { offline_from: at("12:00"), back_at: at("12:30") },
      { offline_from: at("12:15"), back_at: at("12:45") }, // overlaps the one before
      { offline_from: at("15:00"), back_at: null }, // still offline
      { offline_from: at("01:00"), back_at: at("02:00") }, // before the window
    ], ms("10:00"), ms("16:00"))
    expect(uptime.offlineSeconds).toBe((60 + 45 + 60) * 60)
    expect(uptime.online).toBeCloseTo(1 - 165 / 360)
    expect(uptime.periods).toEqual([
      { offlineFrom: at("10:00"), backAt: at("11:00"), seconds: 3600 },
      { offlineFrom: at("12:00"), backAt: at("12:30"), seconds: 1800 },
      { offlineFrom: at("12:15"), backAt: at("12:45"), seconds: 1800 },
      { offlineFrom: at("15:00"), backAt: null, seconds: 3600 },
    ])
  })
  it("is fully online without periods, and has no ratio over an empty window", () => {
    expect(uptimeOver([], ms("10:00"), ms("11:00"))).toMatchObject({ offlineSeconds: 0, online: 1, periods: [] })
    expect(uptimeOver([{ offline_from: at("09:00"), back_at: null }], ms("11:00"), ms("10:00"))).toMatchObject({ online: null, offlineSeconds: 0, periods: [] })
  })
})
