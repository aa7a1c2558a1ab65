// What the recommendations are judged on, for one kiosk and currency: the last four weeks (the window), the last
// eight weeks (the profile: when it sells), the check of its last week against the forecast made before it, the
// rest of the fleet's refunds and the takings of comparable kiosks. Every amount in minor units.

/** The window: recent enough to act on, long enough to count. */
export const WINDOW_DAYS = 28
/** The profile: long enough for each weekday and hour to be seen several times. */
export const PROFILE_DAYS = 56
/** The recent check: the last week, against a forecast made before it. */
export const RECENT_DAYS = 7

export interface RecentDay {
  readonly date: string
  readonly actual: number
  readonly point: number
  readonly lo80: number
}

export interface KioskFacts {
  readonly kioskId: string
  readonly kioskName: string
  readonly currency: string
  /** The window's first and last day. */
  readonly window: { readonly from: string; readonly to: string }
  /** Window days the kiosk was up (not offline), and its takings and counts over them. */
  readonly observedDays: number
  readonly net: number
  readonly payments: number
  readonly refunds: number
  readonly refundedAmount: number
  /** Minutes offline in the window, by UTC hour of the day (24 entries). */
  readonly offlineMinutesByHour: ReadonlyArray<number>
  /** Takings over the profile by UTC hour of the day (24), and by weekday (7, Monday first). */
  readonly takingsByHour: ReadonlyArray<number>
  readonly takingsByWeekday: ReadonlyArray<number>
  readonly profilePayments: number
  /** The last observed days of the week before the history's end, with the forecast made a week earlier. */
  readonly recent: ReadonlyArray<RecentDay>
  /** The rest of the fleet (this currency) over the window. */
  readonly fleet: { readonly payments: number; readonly refunds: number }
  /** Kiosks at the same place (the location's first part, e.g. "Madrid" of "Madrid · Atocha"), and their average day. */
  readonly peers: { readonly place: string; readonly averageDays: ReadonlyArray<number> }
}
