// Money is an integer count of minor units plus an ISO 4217 currency: never a float.
import { Schema } from "effect"
import { CURRENCIES, type Currency, MAX_AMOUNT_MINOR } from "../../shared/index.ts"

export * from "../../shared/index.ts"

export const CurrencySchema = Schema.Literals(CURRENCIES as [Currency, ...Currency[]]).annotate({
  title: "Currency",
  description: "ISO 4217 alphabetic code, upper case (EUR, USD, JPY, …)",
})

export const AmountSchema = Schema.Int.check(
  Schema.isGreaterThan(0),
  Schema.isLessThanOrEqualTo(MAX_AMOUNT_MINOR),
).annotate({
  title: "Amount",
  description: "Integer amount in the currency's minor units (1250 = 12.50 EUR), positive and bounded",
})

