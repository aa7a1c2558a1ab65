// Reconciliation: PAYMENTS replayed and summed per kiosk, currency and day (a payment on its business day, a refund
// on the day it was recorded, as the daily-sales read model counts them) against the read model at the same stream
// position (its checkpoint), every difference listed. Pure comparison here; the replay and the read are effects.
import { Effect } from "effect"
import { type ReadModelDay, readModelDays } from "../projections/index.ts"
import { type Naming, naming, Nats, Settings } from "../platform/index.ts"
import { type Clients, replayPayments } from "./replay.ts"

export interface DayTotals {
  readonly kiosk_id: string
  readonly day: string
  readonly currency: string
  payment_count: number
  gross: number
  refund_count: number
  refunds: number
}

export type DifferenceField = "payment_count" | "gross" | "refund_count" | "refunds" | "listed_count" | "listed_gross"

export interface Difference {
  readonly kiosk_id: string
  readonly day: string
  readonly currency: string
  /** daily sales' columns, or `listed_*`: the payments table summed over the day. */
  readonly field: DifferenceField
  readonly replayed: number
  readonly read_model: number
}

export interface DayRange {
  /** First day, YYYY-MM-DD (inclusive); undefined: from the beginning. */
  readonly fromDay?: string | undefined
  /** Last day, exclusive. */
  readonly toDay?: string | undefined
  readonly kioskId?: string | undefined
}

const keyOf = (d: { kiosk_id: string; day: string; currency: string }) => `${d.day}|${d.kiosk_id}|${d.currency}`

/** PAYMENTS up to `toSeq` summed per kiosk, currency and day. */
export async function replayedDays(clients: Clients, names: Naming, range: DayRange & { readonly toSeq: number }, signal?: AbortSignal) {
  const days = new Map<string, DayTotals>()
  if (range.toSeq < 1) return days
  const rows = replayPayments(clients, names, {
    toSeq: range.toSeq, kioskId: range.kioskId,
    from: range.fromDay === undefined ? undefined : `${range.fromDay}T00:00:00.000Z`,
    to: range.toDay === undefined ? undefined : `${range.toDay}T00:00:00.000Z`,
  }, { signal })
  for await (const row of rows) {
    const day = row.occurred_at.slice(0, 10)
    const key = keyOf({ kiosk_id: row.kiosk_id, day, currency: row.currency })
    const totals = days.get(key) ?? { kiosk_id: row.kiosk_id, day, currency: row.currency, payment_count: 0, gross: 0, refund_count: 0, refunds: 0 }
    if (row.type === "PaymentRecorded") {
      totals.payment_count++
      totals.gross += row.amount
    } else {
      totals.refund_count++
      totals.refunds += row.amount
    }
    days.set(key, totals)
  }
  return days
}

/** Every field that differs, per (day, kiosk, currency), in day order; a side without the row counts as zeros. */
export function compareDays(replayed: ReadonlyMap<string, DayTotals>, model: ReadonlyArray<ReadModelDay>): Array<Difference> {
  const modelByKey = new Map(model.map((m) => [keyOf(m), m]))
  const keys = [...new Set([...replayed.keys(), ...modelByKey.keys()])].sort()
  const differences: Array<Difference> = []
  for (const key of keys) {
    const r = replayed.get(key)
    const m = modelByKey.get(key)
    const [day, kiosk_id, currency] = key.split("|") as [string, string, string]
    const pairs: ReadonlyArray<readonly [DifferenceField, number, number]> = [
      ["payment_count", r?.payment_count ?? 0, m?.payment_count ?? 0],
      ["gross", r?.gross ?? 0, m?.gross ?? 0],
      ["refund_count", r?.refund_count ?? 0, m?.refund_count ?? 0],
      ["refunds", r?.refunds ?? 0, m?.refunds ?? 0],
      ["listed_count", r?.payment_count ?? 0, m?.listed_count ?? 0],
      ["listed_gross", r?.gross ?? 0, m?.listed_gross ?? 0],
    ]
    for (const [field, replayedValue, modelValue] of pairs) {
      if (replayedValue !== modelValue) differences.push({ kiosk_id, day, currency, field, replayed: replayedValue, read_model: modelValue })
    }
  }
  return differences
}

export interface Reconciliation {
  readonly from_day: string | null
  readonly to_day: string | null
  /** The stream position both sides were compared at (the read model's checkpoint). */
  readonly through_seq: number
  /** Day rows compared (kiosk × currency × day, on either side). */
  readonly rows: number
  readonly totals: ReadonlyArray<{ readonly currency: string; readonly replayed_net: number; readonly read_model_net: number }>
  readonly differences: ReadonlyArray<Difference>
}

export function reconciliationOf(range: DayRange, throughSeq: number, replayed: ReadonlyMap<string, DayTotals>, model: ReadonlyArray<ReadModelDay>): Reconciliation {
  const totals = new Map<string, { replayed_net: number; read_model_net: number }>()
  const add = (currency: string, field: "replayed_net" | "read_model_net", value: number) => {
    const t = totals.get(currency) ?? { replayed_net: 0, read_model_net: 0 }
    t[field] += value
    totals.set(currency, t)
  }
  for (const r of replayed.values()) add(r.currency, "replayed_net", r.gross - r.refunds)
  for (const m of model) add(m.currency, "read_model_net", m.gross - m.refunds)
  return {
    from_day: range.fromDay ?? null,
    to_day: range.toDay ?? null,
    through_seq: throughSeq,
    rows: new Set([...replayed.keys(), ...model.map(keyOf)]).size,
    totals: [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => ({ currency, ...t })),
    differences: compareDays(replayed, model),
  }
}

/** The whole reconciliation: the read model's days at its checkpoint, then PAYMENTS replayed up to that checkpoint. */
export const reconcile = (range: DayRange, signal?: AbortSignal) =>
  Effect.gen(function* () {
    const model = yield* readModelDays(range)
    const clients = yield* Nats
    const names = naming((yield* Settings).namespace)
    const replayed = yield* Effect.promise(() => replayedDays(clients, names, { ...range, toSeq: model.seq }, signal))
    return reconciliationOf(range, model.seq, replayed, model.days)
  })
