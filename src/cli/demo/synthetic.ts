// A believable sales history, deterministic for a seed: weekly and yearly seasonality, a trend, holidays,
// Poisson noise, outages (no heartbeats, no sales) and a trickle of refunds. Pure: it only plans.
import type { Currency } from "../../commands/index.ts"

export interface DemoOptions {
  readonly kiosks: number
  readonly days: number
  readonly seed: number
  readonly currency: Currency
  /**
   * Now, as far as the history goes: the plan covers the `days` UTC days ending on this instant's day, and nothing
   * in it (sale, refund, outage) lies after this instant.
   */
  readonly until: Date
}

export interface PlannedSale {
  readonly key: string
  readonly occurredAt: string
  readonly amount: number
  /** A refund made later than the sale (minutes to days), at its own time. */
  readonly refund?: { readonly amount: number; readonly key: string; readonly at: string } | undefined
}

export interface PlannedOutage {
  readonly lastSeenAt: string
  readonly backAt: string
}

export interface KioskPlan {
  readonly index: number
  readonly code: string
  readonly name: string
  readonly location: string
  readonly sales: ReadonlyArray<PlannedSale>
  readonly outages: ReadonlyArray<PlannedOutage>
}

const LOCATIONS = ["Madrid · Atocha", "Madrid · Sol", "Barcelona · Sants", "Valencia · Nord", "Sevilla · Santa Justa",
  "Bilbao · Abando", "Málaga · María Zambrano", "Zaragoza · Delicias", "Alicante · Terminal", "Granada · Centro"]
const NAMES = ["Lobby", "Platform", "Food court", "Entrance", "Mezzanine", "Gate", "Arrivals", "Departures"]

/** Monday-first multipliers: quiet early week, busy weekend. */
const WEEKDAY = [0.85, 0.9, 0.95, 1.0, 1.2, 1.45, 1.1] as const
/** Public holidays (month-day) with their effect on footfall. */
const HOLIDAYS: Record<string, number> = {
  "01-01": 0.45, "01-06": 1.3, "05-01": 0.6, "08-15": 0.7, "10-12": 0.8, "11-01": 0.75, "12-06": 0.9, "12-08": 0.9,
  "12-24": 1.35, "12-25": 0.4, "12-31": 1.25,
}

/** mulberry32: small, fast, good enough for synthetic data, and the same on every machine. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function poisson(rand: () => number, mean: number): number {
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rand)))
  const limit = Math.exp(-mean)
  let k = 0
  for (let p = rand(); p > limit; p *= rand()) k++
  return k
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand())
}

/** Sales cluster around lunch and the evening commute; none at night. */
function timeOfDay(rand: () => number): number {
  const peak = rand() < 0.55 ? 13.5 : 18.5
  const hours = Math.min(22.9, Math.max(7, peak + normal(rand) * 2.2))
  return Math.floor(hours * 3_600_000)
}

const DAY = 86_400_000

/** Most refunds come within the hour (a wrong item), some the next days (a complaint): 5 minutes to 3 days. */
function refundDelay(rand: () => number): number {
  return Math.round(5 * 60_000 + (rand() < 0.7 ? rand() * 3_600_000 : rand() * 3 * DAY))
}

export function planDemo(options: DemoOptions): ReadonlyArray<KioskPlan> {
  const rand = random(options.seed)
  const lastDay = Date.UTC(options.until.getUTCFullYear(), options.until.getUTCMonth(), options.until.getUTCDate())
  const firstDay = lastDay - (options.days - 1) * DAY
  const now = options.until.getTime()
  return Array.from({ length: options.kiosks }, (_, index) => {
    const base = 35 + rand() * 90 // this kiosk's typical sales per day
    const ticket = 450 + rand() * 900 // its typical ticket, in minor units
    const trendPerYear = -0.05 + rand() * 0.3
    const sales: Array<PlannedSale> = []
    const outages: Array<PlannedOutage> = []
    for (let day = firstDay; day <= lastDay; day += DAY) {
      const date = new Date(day)
      const weekday = WEEKDAY[(date.getUTCDay() + 6) % 7]!
      const dayOfYear = (day - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY
      const yearly = 1 + 0.18 * Math.sin((2 * Math.PI * (dayOfYear - 100)) / 365)
      const trend = 1 + trendPerYear * ((day - firstDay) / (365 * DAY))
      const holiday = HOLIDAYS[date.toISOString().slice(5, 10)] ?? 1
      // One day in ~40 a kiosk loses its link for a few hours: no heartbeats and no sales meanwhile.
      const outage = rand() < 0.025 ? { from: 9 * 3_600_000 + rand() * 8 * 3_600_000, hours: 1 + rand() * 4 } : undefined
      if (outage) {
        outages.push({
          lastSeenAt: new Date(day + outage.from).toISOString(),
          backAt: new Date(day + outage.from + outage.hours * 3_600_000).toISOString(),
        })
      }
      const count = poisson(rand, base * weekday * yearly * trend * holiday)
      for (let n = 0; n < count; n++) {
        const at = timeOfDay(rand)
        if (outage && at >= outage.from && at < outage.from + outage.hours * 3_600_000) continue
        // Tickets are log-normal and rounded to 5 minor units, as prices are.
        const amount = Math.max(100, Math.round((ticket * Math.exp(0.45 * normal(rand))) / 5) * 5)
        const key = `demo-${index}-${date.toISOString().slice(0, 10)}-${n}`
        const refunded = rand() < 0.012
        const refund = refunded
          ? { amount: rand() < 0.7 ? amount : Math.max(1, Math.round(amount / 2)), key: `${key}-refund`, at: day + at + refundDelay(rand) }
          : undefined
        sales.push({
          key,
          occurredAt: new Date(day + at).toISOString(),
          amount,
          // A refund after `until` has not happened yet either: a later run records it.
          refund: refund !== undefined && refund.at <= now ? { ...refund, at: new Date(refund.at).toISOString() } : undefined,
        })
      }
    }
    sales.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
    // Today ends at `until`: a sale or an outage later today has not happened yet (the write side refuses a sale
    // more than 5 minutes ahead). Cut after drawing, so the earlier days are the same whatever the hour.
    const end = options.until.toISOString()
    return {
      index,
      code: `DEMO-${String(index + 1).padStart(4, "0")}`,
      name: `${NAMES[index % NAMES.length]} ${index + 1}`,
      location: LOCATIONS[index % LOCATIONS.length]!,
      sales: sales.filter((sale) => sale.occurredAt <= end),
      outages: outages.filter((outage) => outage.backAt <= end),
    }
  })
}
