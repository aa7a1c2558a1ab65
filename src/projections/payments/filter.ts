// The one description of "which payments": scope, kiosk, currency, status, business-time range and a free search.
// Lists, totals and the CSV export all filter through here, so the three always agree on what matches.
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from "kysely"
import { CURRENCY_EXPONENTS, type Currency, type PaymentStatus } from "../../shared/index.ts"
import type { Database } from "../db.ts"
import type { Scope } from "../query/scope.ts"

export type { PaymentStatus }

export interface PaymentFilter {
  readonly scope: Scope
  readonly kioskId?: string | undefined
  readonly currency?: string | undefined
  readonly status?: PaymentStatus | undefined
  /** occurred_at ≥ from (ISO instant). */
  readonly from?: string | undefined
  /** occurred_at < to (ISO instant). */
  readonly to?: string | undefined
  /** A payment id, an amount ("12.50", "12,5", "1250" in JPY) or part of a kiosk's code or name. */
  readonly search?: string | undefined
}

const PAYMENT_ID = /^[a-z]{2,4}_[0-9a-z]{8,64}$/u
const DECIMAL = /^(\d{1,12})(?:[.,](\d{1,4}))?$/u

/** Codes by exponent: an amount typed as "12.50" is 1250 minor units of a 2-digit currency, 12500 of a 3-digit one. */
const CURRENCIES_BY_EXPONENT = Map.groupBy(Object.entries(CURRENCY_EXPONENTS) as Array<[Currency, number]>, ([, e]) => e)

/** (currency codes, minor units) pairs that a typed amount can mean, or none when it is not an amount. */
export function amountCandidates(text: string): ReadonlyArray<{ readonly currencies: ReadonlyArray<Currency>; readonly minor: number }> {
  const match = DECIMAL.exec(text)
  if (!match) return []
  const [, whole = "", fraction = ""] = match
  return [...CURRENCIES_BY_EXPONENT].flatMap(([exponent, entries]) => {
    if (fraction.length > exponent) return []
    const minor = Number(whole + fraction.padEnd(exponent, "0"))
    return Number.isSafeInteger(minor) && minor > 0 ? [{ currencies: entries.map(([code]) => code), minor }] : []
  })
}

/** `%text%` for ILIKE, with the pattern's own metacharacters escaped. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

function searchCondition(eb: ExpressionBuilder<Database, "payments">, db: Kysely<Database>, text: string) {
  const pattern = likePattern(text)
  const kiosks = db.selectFrom("kiosks").select("kiosk_id")
    .where((k) => k.or([k("kiosks.code", "ilike", pattern), k("kiosks.name", "ilike", pattern)]))
  const alternatives = [eb("payments.kiosk_id", "in", kiosks)]
  if (PAYMENT_ID.test(text)) alternatives.push(eb("payments.payment_id", "=", text))
  for (const { currencies, minor } of amountCandidates(text)) {
    alternatives.push(eb.and([eb("payments.amount", "=", minor), eb("payments.currency", "in", currencies)]))
  }
  return eb.or(alternatives)
}

/** The filter as one condition on `payments` (joined tables may come along: the condition names only payments). */
export const matching = (db: Kysely<Database>, filter: PaymentFilter) => (eb: ExpressionBuilder<Database, "payments">) => {
  const all: Array<Expression<SqlBool>> = []
  if (filter.scope !== "all") all.push(eb("payments.operator_id", "=", filter.scope.operatorId))
  if (filter.kioskId !== undefined) all.push(eb("payments.kiosk_id", "=", filter.kioskId))
  if (filter.currency !== undefined) all.push(eb("payments.currency", "=", filter.currency))
  // The status rule (src/shared/payment.ts, paymentStatus) in SQL.
  if (filter.status === "captured") all.push(eb("payments.refunded_amount", "=", 0))
  else if (filter.status === "refunded") all.push(eb("payments.refunded_amount", ">", 0), eb("payments.net_amount", "=", 0))
  else if (filter.status === "partially_refunded") all.push(eb("payments.refunded_amount", ">", 0), eb("payments.net_amount", ">", 0))
  if (filter.from !== undefined) all.push(eb("payments.occurred_at", ">=", filter.from))
  if (filter.to !== undefined) all.push(eb("payments.occurred_at", "<", filter.to))
  const search = filter.search?.trim()
  if (search) all.push(searchCondition(eb, db, search))
  return eb.and(all)
}

/** Payments with their kiosk's code and name and their operator's username, for lists, detail and export. */
export const paymentsWithNames = (db: Kysely<Database>) =>
  db.selectFrom("payments")
    .leftJoin("kiosks", "kiosks.kiosk_id", "payments.kiosk_id")
    .leftJoin("users", "users.user_id", "payments.operator_id")

export const PAYMENT_COLUMNS = [
  "payments.payment_id", "payments.kiosk_id", "payments.operator_id", "payments.amount", "payments.currency",
  "payments.occurred_at", "payments.recorded_at", "payments.refunded_amount", "payments.net_amount", "payments.seq",
  "kiosks.code as kiosk_code", "kiosks.name as kiosk_name", "users.username as operator_name",
] as const

/** Sums of bigint columns come back as numeric strings: exact as long as they stay below 2^53. */
export const sumOf = (column: "payments.amount" | "payments.refunded_amount" | "payments.net_amount") =>
  sql<string>`coalesce(sum(${sql.ref(column)}), 0)`
