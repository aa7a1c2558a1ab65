// The forecaster role. A durable consumer on PAYMENTS turns each batch of payments into "these kiosks (and the
// fleet) have news" in the forecast_work queue, debounced per kiosk. A loop claims due kiosks one at a time,
// waits until the read models hold the news (the payments model up to the claimed sequence, the offline periods
// up to KIOSKS' end), reads the history, fits, and stores the forecasts. A new UTC day makes every forecast due
// again, since yesterday joined the history. Any number of instances may run: the consumer hands each payment to
// one of them, a claim is leased to one, and a forecast from older data never replaces a newer one.
import { AckPolicy, DeliverPolicy, type JsMsg } from "@nats-io/jetstream"
import { nanos } from "@nats-io/transport-node"
import { Effect, type ManagedRuntime } from "effect"
import { provisionStreams } from "../../commands/index.ts"
import {
  condition, counter, histogram, type Logger, makeLogger, naming, Nats, type Readiness, Settings,
} from "../../platform/index.ts"
import {
  awaitProjection, claimDue, type Claimed, Db, DbPools, type Due, finishWork, FLEET, markDue, migrate, OFFLINE_PERIODS_PROJECTION,
  PAYMENTS_PROJECTION, readRecommendationInputs, readSalesHistory, releaseWork, saveForecasts, saveRecommendations,
} from "../../projections/index.ts"
import { MAX_HISTORY_DAYS } from "./history.ts"
import { addDays, dayOf } from "./model/index.ts"
import { PROFILE_DAYS, WINDOW_DAYS } from "./recommendations/index.ts"
import { forecastRecords, kioskRecommendations } from "./records.ts"

export interface ForecasterOptions {
  readonly log?: Logger | undefined
  /** A kiosk is refitted once its payments pause this long… Default 2 s. */
  readonly quietMs?: number | undefined
  /** …or this long after its first payment since the last fit. Default 30 s. */
  readonly maxWaitMs?: number | undefined
  /** The same for the fleet, whose fit reads every kiosk. Defaults 10 s and 2 min. */
  readonly fleetQuietMs?: number | undefined
  readonly fleetMaxWaitMs?: number | undefined
  /** How often an idle forecaster looks for due work. Default 1 s. */
  readonly pollMs?: number | undefined
  /** Today's UTC day (YYYY-MM-DD); the history ends the day before, the last complete one. Default: the clock's. */
  readonly today?: (() => string) | undefined
}

export interface RunningForecaster {
  /** Ready = it takes payments from its consumer and reads its queue. */
  readonly readiness: Readiness
  /** Stops taking payments and claims, finishes the fit in hand, releases connections. */
  stop(): Promise<void>
}

const ACK_WAIT_MS = 30_000
const LEASE_MS = 120_000
/** How long a fit waits for a read model to catch up before giving its claim back for later. */
const CATCH_UP_MS = 10_000
const RETRY_MS = 5_000
const BATCH = 512

const refits = counter("forecaster_refits_total", "Forecast refits, by scope (kiosk or fleet) and outcome", ["scope", "outcome"])
const refitSeconds = histogram("forecaster_refit_seconds", "Time to read a history, fit and store its forecasts", ["scope"], [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])

/** Starts on the process's runtime, which outlives it; its reads and fits use a pool of its own ("forecaster"). */
export async function startForecaster(runtime: ManagedRuntime.ManagedRuntime<Settings | Nats | DbPools, unknown>, options: ForecasterOptions = {}): Promise<RunningForecaster> {
  const { settings, clients: { js, jsm }, pools } = await runtime.runPromise(Effect.all({ settings: Settings, clients: Nats, pools: DbPools }))
  const handle = pools.forRole("forecaster")
  const { db } = handle
  const log = options.log ?? makeLogger(settings, "forecaster")
  const today = options.today ?? (() => dayOf(new Date()))
  const pollMs = options.pollMs ?? 1_000
  const kioskDebounce = { quietMs: options.quietMs ?? 2_000, maxWaitMs: options.maxWaitMs ?? 30_000 }
  const fleetDebounce = { quietMs: options.fleetQuietMs ?? 10_000, maxWaitMs: options.fleetMaxWaitMs ?? 120_000 }
  const names = naming(settings.namespace)
  await migrate(handle)
  await provisionStreams(jsm, names, { replicas: settings.streamReplicas, log })

  const stream = names.stream("PAYMENTS")
  const durable = names.consumer("worker", "forecaster_payments")
  const config = {
    durable_name: durable, filter_subject: names.streamSubjects("PAYMENTS"), ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ACK_WAIT_MS), max_ack_pending: 4 * BATCH,
  }
  // Several instances may start together: the server accepts an identical add.
  await jsm.consumers.add(stream, { ...config, deliver_policy: DeliverPolicy.All })
  const consumer = await js.consumers.get(stream, durable)
  const prefix = `${names.namespace}.payments.`
  const stopped = new AbortController()
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    stopped.signal.addEventListener("abort", () => {
      clearTimeout(timer)
      resolve()
    }, { once: true })
  })

  // What readiness reports: the last fetch and the last claim went through (the consumer was just bound).
  let taking = true
  let claiming = true

  /** One batch of payments → one statement marking their kiosks and the fleet due, then the acks. */
  const intake = (async () => {
    while (!stopped.signal.aborted) {
      const messages: Array<JsMsg> = []
      try {
        for await (const m of await consumer.fetch({ max_messages: BATCH, expires: 1_000 })) messages.push(m)
        taking = true
        if (messages.length === 0) continue
        const latest = new Map<string, number>()
        for (const m of messages) {
          const kioskId = m.subject.slice(prefix.length).split(".")[0]!
          latest.set(kioskId, Math.max(m.seq, latest.get(kioskId) ?? 0))
        }
        const due: Array<Due> = [...latest].map(([kioskId, seq]) => ({ kioskId, seq, ...kioskDebounce }))
        due.push({ kioskId: FLEET, seq: Math.max(...latest.values()), ...fleetDebounce })
        await markDue(db, due)
        for (const m of messages) m.ack()
      } catch (error) {
        // Unacked messages come back after ack_wait; marking them again is harmless.
        taking = false
        if (!stopped.signal.aborted) log.warn({ err: error }, "payments intake failed; retrying")
        await pause(RETRY_MS)
      }
    }
  })()

  const waitFor = (projection: string, seq: number) =>
    runtime.runPromise(Effect.result(Effect.provideService(awaitProjection(projection, seq, CATCH_UP_MS), Db, handle))).then((r) => r._tag === "Success")

  const refit = async (claimed: Claimed) => {
    const historyEnd = addDays(today(), -1)
    const scope = claimed.kioskId === FLEET ? "fleet" : "kiosk"
    const started = performance.now()
    // The fit must see the payments that made it due, and every outage recorded so far.
    const kiosksEnd = (await jsm.streams.info(names.stream("KIOSKS"))).state.last_seq
    if (!(await waitFor(PAYMENTS_PROJECTION, claimed.wantedSeq)) || !(await waitFor(OFFLINE_PERIODS_PROJECTION, kiosksEnd))) {
      refits.inc({ scope, outcome: "read-model-behind" })
      log.warn({ kioskId: claimed.kioskId, wantedSeq: claimed.wantedSeq }, "read models behind; forecast retried later")
      await releaseWork(db, claimed.kioskId, RETRY_MS)
      return
    }
    const history = await readSalesHistory(db, claimed.kioskId, addDays(historyEnd, -(MAX_HISTORY_DAYS - 1)), historyEnd)
    const records = forecastRecords(history, claimed.kioskId, historyEnd)
    await saveForecasts(db, claimed.kioskId, historyEnd, history.paymentsSeq, records)
    let recommendations = 0
    if (claimed.kioskId !== FLEET) {
      const inputs = await readRecommendationInputs(db, claimed.kioskId, {
        windowFrom: addDays(historyEnd, -(WINDOW_DAYS - 1)), profileFrom: addDays(historyEnd, -(PROFILE_DAYS - 1)), to: historyEnd,
      })
      const found = kioskRecommendations(history, inputs, claimed.kioskId, historyEnd)
      await saveRecommendations(db, claimed.kioskId, historyEnd, history.paymentsSeq, found)
      recommendations = found.length
    }
    await finishWork(db, claimed.kioskId, Math.max(claimed.wantedSeq, history.paymentsSeq), historyEnd)
    const seconds = (performance.now() - started) / 1_000
    refits.inc({ scope, outcome: "stored" })
    refitSeconds.observe({ scope }, seconds)
    log.info({
      kioskId: claimed.kioskId, historyEnd, seconds: Number(seconds.toFixed(3)),
      recommendations,
      forecasts: records.map((r) => `${r.currency}:${r.method ?? `${r.observedDays}/${r.needDays} days`}${r.mase === null ? "" : ` MASE ${r.mase.toFixed(2)}`}`),
    }, "forecasts refitted")
  }

  const fitting = (async () => {
    while (!stopped.signal.aborted) {
      let claimed: Claimed | undefined
      try {
        claimed = await claimDue(db, { historyEnd: addDays(today(), -1), leaseMs: LEASE_MS })
        claiming = true
        if (claimed === undefined) {
          await pause(pollMs)
          continue
        }
        await refit(claimed)
      } catch (error) {
        if (stopped.signal.aborted) break
        if (claimed === undefined) claiming = false
        log.warn({ err: error, kioskId: claimed?.kioskId }, "forecast refit failed; retried later")
        if (claimed !== undefined) await releaseWork(db, claimed.kioskId, RETRY_MS).catch(() => undefined)
        await pause(RETRY_MS)
      }
    }
  })()

  log.info({ durable }, "forecaster started")
  return {
    readiness: async () => ({
      [`consumer:${durable}`]: condition(taking, "not taking payments"),
      queue: condition(claiming, "cannot read its work queue"),
    }),
    async stop() {
      stopped.abort()
      await Promise.all([intake, fitting])
    },
  }
}
