// A kiosk's uptime over a window, from its offline periods: each period clipped to the window, the time offline
// summed (overlaps counted once) and the share of the window it was not offline. Pure: the route reads the periods.

/** One row of kiosk_offline_periods. */
export interface OfflinePeriod {
  readonly kiosk_id: string
  readonly offline_from: string
  /** Null while the kiosk is still offline. */
  readonly back_at: string | null
}

export interface UptimePeriod {
  /** Clipped to the window. */
  readonly offlineFrom: string
  /** Null while still offline at the window's end (the window ends now). */
  readonly backAt: string | null
  readonly seconds: number
}

export interface Uptime {
  readonly from: string
  readonly to: string
  readonly offlineSeconds: number
  /** 0…1 of the window not offline; null for an empty window (the kiosk registered after it ended). */
  readonly online: number | null
  readonly periods: ReadonlyArray<UptimePeriod>
}

/** `periods` (any order, any overlap) seen over [from, to); `from` already moved to the registration if later. */
export function uptimeOver(periods: ReadonlyArray<Pick<OfflinePeriod, "offline_from" | "back_at">>, from: number, to: number): Uptime {
  const window = Math.max(0, to - from)
  const clipped = periods
    .map((p) => ({ start: Math.max(from, Date.parse(p.offline_from)), end: Math.min(to, p.back_at === null ? to : Date.parse(p.back_at)), open: p.back_at === null }))
    .filter((p) => p.end > p.start)
    .sort((a, b) => a.start - b.start)
  let offline = 0
  let reached = from
  for (const p of clipped) {
    const start = Math.max(p.start, reached)
    if (p.end > start) { offline += p.end - start; reached = p.end }
  }
  return {
    from: new Date(from).toISOString(),
    to: new Date(Math.max(from, to)).toISOString(),
    offlineSeconds: Math.round(offline / 1000),
    online: window === 0 ? null : Math.min(1, Math.max(0, 1 - offline / window)),
    periods: clipped.map((p) => ({
      offlineFrom: new Date(p.start).toISOString(),
      backAt: p.open && p.end === to ? null : new Date(p.end).toISOString(),
      seconds: Math.round((p.end - p.start) / 1000),
    })),
  }
}
