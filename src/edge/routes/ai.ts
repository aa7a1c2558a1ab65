// /ai: the design's "AI service", made honest. /ai/predict answers a kiosk's (or, for admins and auditors, the
// fleet's) forecast from the forecasts read model: the total and the daily path with 80%/95% intervals, seasonal
// naive beside it, the method and its backtest, and the history used — or a 422 "not enough history (N days,
// need M)" rather than a made-up number. /ai/recommendations lists what the forecaster found worth saying about
// the caller's kiosks, each with its kind, its reason in English and Spanish, and the numbers behind it.
import { Schema } from "effect"
import type { FastifyInstance } from "fastify"
import { type Currency, Forbidden } from "../../commands/index.ts"
import { FLEET, type ForecastRow, forecastsFor, getKiosk, listRecommendations } from "../../projections/index.ts"
import { addDays, dayOf, type Estimate, RECOMMENDATION_KINDS } from "../../workers/forecaster/index.ts"
import { scopeOf } from "../auth/access.ts"
import { principalOf } from "../auth/authenticate.ts"
import { addRoute } from "../route.ts"
import { CurrencySchema, Id, Page, pageQuery, Seq, Timestamp } from "../shapes.ts"

export const MAX_HORIZON = 90
const DEFAULT_HORIZON = 30

const Day = Schema.String.check(Schema.isPattern(/^\d{4}-\d\d-\d\d$/u)).annotate({ description: "A UTC day, YYYY-MM-DD" })
const Minor = Schema.Int.annotate({ description: "Minor units of the currency" })
const Share = Schema.Number.annotate({ description: "A share between 0 and 1" })
const MethodName = Schema.Literals(["ets", "seasonal_naive", "tsb"])

const EstimateView = Schema.Struct({ point: Minor, lo80: Minor, hi80: Minor, lo95: Minor, hi95: Minor })
  .annotate({ title: "Estimate", description: "A point forecast with its 80% and 95% prediction intervals" })
const DayView = Schema.Struct({ date: Day, ...EstimateView.fields }).annotate({ title: "DayEstimate" })

const METHODS: Record<typeof MethodName.Type, string> = {
  ets: "Holt–Winters exponential smoothing, damped trend and weekly seasonality (ETS(A,Ad,A))",
  seasonal_naive: "Seasonal naive: each day as the same weekday's last observed takings",
  tsb: "TSB (Teunter–Syntetos–Babai) for intermittent sales",
}

const CurrencyForecast = Schema.Struct({
  currency: CurrencySchema,
  method: MethodName,
  method_description: Schema.String,
  intervals: Schema.Literals(["analytic", "empirical"]).annotate({
    description: "analytic: from the method's error model; empirical: from the observed distribution of sale days (TSB)",
  }),
  parameters: Schema.Record(Schema.String, Schema.Number).annotate({ description: "The fitted parameters (α, β, γ, φ, σ …)" }),
  total: EstimateView.annotate({ description: "The sum over the horizon, with the interval of the sum" }),
  daily: Schema.Array(DayView),
  baseline: Schema.Struct({ method: Schema.Literal("seasonal_naive"), total: EstimateView, daily: Schema.Array(DayView) }),
  backtest: Schema.Struct({
    mase: Schema.Number.annotate({ description: "Mean absolute scaled error of the chosen method (scale: seasonal naive's in-sample one-step error)" }),
    baseline_mase: Schema.Number.annotate({ description: "The same for seasonal naive over the same days" }),
    coverage_80: Share,
    coverage_95: Share,
    origins: Schema.Int,
    horizon_days: Schema.Int,
    held_out_days: Schema.Int,
    candidates: Schema.Array(Schema.Struct({ method: MethodName, mase: Schema.Number, coverage_80: Share, coverage_95: Share })),
  }),
  history: Schema.Struct({
    from: Day,
    to: Day,
    days: Schema.Int,
    observed_days: Schema.Int,
    offline_days: Schema.Array(Day).annotate({ description: "Days treated as missing (the kiosk was offline), not as zero sales" }),
  }),
  fitted_at: Timestamp,
}).annotate({ title: "CurrencyForecast" })

const Prediction = Schema.Struct({
  kiosk_id: Schema.NullOr(Id).annotate({ description: "null: the whole fleet" }),
  horizon: Schema.Int,
  forecasts: Schema.Array(CurrencyForecast),
  not_enough_history: Schema.Array(Schema.Struct({ currency: CurrencySchema, days: Schema.Int, need: Schema.Int })),
}).annotate({ title: "Prediction" })

const RecommendationView = Schema.Struct({
  id: Schema.String.annotate({ description: "kiosk/kind/currency: a kiosk has at most one of each kind per currency" }),
  kiosk_id: Id,
  kiosk_name: Schema.String,
  kind: Schema.Literals(RECOMMENDATION_KINDS),
  currency: CurrencySchema,
  reason: Schema.Struct({ en: Schema.String, es: Schema.String }).annotate({ description: "Why, in words, in English and Spanish" }),
  numbers: Schema.Record(Schema.String, Schema.Union([Schema.Number, Schema.String, Schema.Array(Schema.Number)]))
    .annotate({ description: "The numbers behind the reason (amounts in minor units, shares between 0 and 1)" }),
  window: Schema.Struct({ from: Day, to: Day }).annotate({ description: "The days the recommendation looks at" }),
  computed_at: Timestamp,
}).annotate({ title: "Recommendation" })

const RecommendationPage = Page(RecommendationView)

const estimate = (e: Estimate) => ({ point: e.point, lo80: e.lo80, hi80: e.hi80, lo95: e.lo95, hi95: e.hi95 })

function currencyForecast(row: ForecastRow, horizon: number): typeof CurrencyForecast.Type | undefined {
  const f = row.document
  if (row.status !== "ready" || f === null) return undefined
  return {
    // The read model keeps what the write side accepted: an ISO 4217 code.
    currency: row.currency as Currency,
    method: f.method,
    method_description: METHODS[f.method],
    intervals: f.intervals,
    parameters: f.params,
    total: estimate(f.cumulative[horizon - 1]!),
    daily: f.daily.slice(0, horizon).map((d) => ({ date: d.date, ...estimate(d) })),
    baseline: {
      method: "seasonal_naive",
      total: estimate(f.baseline.cumulative[horizon - 1]!),
      daily: f.baseline.daily.slice(0, horizon).map((d) => ({ date: d.date, ...estimate(d) })),
    },
    backtest: {
      mase: f.backtest.mase,
      baseline_mase: f.backtest.baselineMase,
      coverage_80: f.backtest.coverage80,
      coverage_95: f.backtest.coverage95,
      origins: f.backtest.origins,
      horizon_days: f.backtest.horizon,
      held_out_days: f.backtest.heldOut,
      candidates: f.backtest.candidates.map((c) => ({ method: c.method, mase: c.mase, coverage_80: c.coverage80, coverage_95: c.coverage95 })),
    },
    history: { from: f.history.from, to: f.history.to, days: f.history.days, observed_days: f.history.observedDays, offline_days: f.history.missingDays },
    fitted_at: row.fitted_at,
  }
}

export async function aiRoutes(app: FastifyInstance) {
  predictRoute(app)
  recommendationsRoute(app)
}

function predictRoute(app: FastifyInstance) {
  addRoute(app, {
    method: "GET",
    url: "/predict",
    summary: "A kiosk's sales forecast (or the fleet's, for admins and auditors), with intervals, baseline and backtest",
    description: `Net takings per UTC day and in total over \`horizon\` days (1–${MAX_HORIZON}, default ${DEFAULT_HORIZON}) from the ` +
      "forecaster's latest fit, one forecast per currency, in minor units. Operators ask for one of their kiosks; " +
      "without `kiosk_id` an admin or auditor gets the fleet's forecast. Below the minimum history the answer is a " +
      "422 problem `not-enough-history` (\"not enough history (N days, need M)\"); a history the forecaster has not " +
      "fitted yet is a 503 with Retry-After.",
    access: ["admin", "operator", "auditor"],
    schemas: {
      querystring: Schema.Struct({
        kiosk_id: Schema.optionalKey(Id),
        horizon: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: MAX_HORIZON }))
          .annotate({ description: `Days to forecast, 1–${MAX_HORIZON} (default ${DEFAULT_HORIZON})` })),
        min_seq: Schema.optionalKey(Seq.annotate({ description: "Wait until the kiosks read model has this KIOSKS sequence (a kiosk just paired)" })),
      }),
      responses: { 200: Prediction },
    },
    handler: async (request) => {
      const { kiosk_id: kioskId, horizon = DEFAULT_HORIZON, min_seq: minSeq } = request.query
      const scope = scopeOf(principalOf(request))
      if (kioskId === undefined && scope !== "all") {
        throw new Forbidden({ message: "operators ask for one of their kiosks: give kiosk_id" })
      }
      // Scoped: another operator's kiosk is not found, as everywhere else.
      if (kioskId !== undefined) await app.run(getKiosk(kioskId, { scope, minSeq }))
      const rows = await app.run(forecastsFor(kioskId ?? FLEET, addDays(dayOf(new Date()), -1)))
      return {
        kiosk_id: kioskId ?? null,
        horizon,
        forecasts: rows.flatMap((row) => currencyForecast(row, horizon) ?? []),
        not_enough_history: rows.filter((r) => r.status !== "ready").map((r) => ({ currency: r.currency as Currency, days: r.observed_days, need: r.need_days })),
      } satisfies typeof Prediction.Type
    },
  })
}

function recommendationsRoute(app: FastifyInstance) {
  addRoute(app, {
    method: "GET",
    url: "/recommendations",
    summary: "What the forecaster found worth saying about the caller's kiosks (or one of them), with reasons and numbers",
    description: "Each recommendation has a kind (downtime in busy hours, takings below the forecast interval, refunds high " +
      "against the fleet, one weekday or hour carrying the takings, far below comparable kiosks at the same place), a " +
      "reason in English and Spanish, and the numbers behind it. Recomputed whenever the kiosk's forecast is; an empty " +
      "list means there is nothing to say.",
    access: ["admin", "operator", "auditor"],
    schemas: {
      querystring: Schema.Struct({ kiosk_id: Schema.optionalKey(Id), ...pageQuery }),
      responses: { 200: RecommendationPage },
    },
    handler: async (request) => {
      const { kiosk_id: kioskId, limit, cursor, min_seq: minSeq } = request.query
      const scope = scopeOf(principalOf(request))
      if (kioskId !== undefined) await app.run(getKiosk(kioskId, { scope, minSeq }))
      const page = await app.run(listRecommendations({ scope, kioskId, limit, cursor }))
      return {
        items: page.items.map((r) => ({
          id: r.recommendation_id,
          kiosk_id: r.kiosk_id,
          kiosk_name: r.kiosk_name,
          kind: r.document.kind,
          currency: r.document.currency as Currency,
          reason: r.document.reason,
          numbers: r.document.numbers,
          window: r.document.window,
          computed_at: r.computed_at,
        })),
        next_cursor: page.next_cursor,
      } satisfies typeof RecommendationPage.Type
    },
  })
}
