// /sales: net sales per UTC day and currency, for the dashboard's chart and a kiosk page's. Operators get the sales
// of the payments taken while a kiosk was theirs (and those payments' refunds) only. The range is bounded, so the answer (one row per day and currency) stays small.
import { Schema } from "effect"
import type { FastifyInstance } from "fastify"
import { salesByDay } from "../../projections/index.ts"
import { scopeOf } from "../auth/access.ts"
import { principalOf } from "../auth/authenticate.ts"
import { badQuery, queryInstant } from "../instants.ts"
import { addRoute } from "../route.ts"
import { CurrencySchema, Day, Id, pageQuery } from "../shapes.ts"

/** The longest range one request may ask for, in days (both ends included): a little over a year. */
export const MAX_SALES_DAYS = 400

const DAY_MS = 86_400_000

const SalesDay = Schema.Struct({
  date: Day,
  currency: CurrencySchema,
  gross: Schema.Int.annotate({ description: "Payments taken, in minor units" }),
  refunds: Schema.Int.annotate({ description: "Refunds recorded that day, in minor units" }),
  net: Schema.Int.annotate({ description: "gross − refunds, in minor units" }),
  count: Schema.Int.annotate({ description: "Payments taken" }),
}).annotate({ title: "SalesDay" })

export async function salesRoutes(app: FastifyInstance) {
  addRoute(app, {
    method: "GET",
    url: "/daily",
    summary: "Sales per UTC day and currency over a range of days (for an operator, the payments they took)",
    description: `\`from\` and \`to\` are UTC days, both included, at most ${MAX_SALES_DAYS} days apart. Amounts are in ` +
      "minor units, summed over the caller's kiosks unless `kiosk_id` names one. Days without sales are absent.",
    access: ["admin", "operator", "auditor"],
    schemas: {
      querystring: Schema.Struct({ from: Day, to: Day, kiosk_id: Schema.optionalKey(Id), min_seq: pageQuery.min_seq }),
      responses: { 200: Schema.Struct({ items: Schema.Array(SalesDay) }) },
    },
    handler: async (request) => {
      const { from, to, kiosk_id: kioskId, min_seq: minSeq } = request.query
      const days = (queryInstant(`${to}T00:00:00Z`, "to") - queryInstant(`${from}T00:00:00Z`, "from")) / DAY_MS + 1
      if (days < 1) throw badQuery("to", "must not be before from")
      if (days > MAX_SALES_DAYS) throw badQuery("to", `must be at most ${MAX_SALES_DAYS} days from from (both included)`)
      const items = await app.run(salesByDay({ scope: scopeOf(principalOf(request)), from, to, kioskId, minSeq }))
      return { items }
    },
  })
}
