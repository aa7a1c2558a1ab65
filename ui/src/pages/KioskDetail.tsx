// One kiosk: status and last seen (live), its uptime (offline periods), its payments and daily sales, its
// printable QR label, and for admins rename/move, unassign and a new device credential (shown once).
import { useParams } from "@solidjs/router"
import { createEffect, createMemo, createResource, createSignal, on, onCleanup, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { can } from "../auth/permissions.ts"
import type { Kiosk, KioskUptime, Payment } from "../api/types.ts"
import { SalesChart } from "../components/chart/SalesChart.tsx"
import { ConfirmDialog } from "../components/ConfirmDialog.tsx"
import { DeviceToken } from "../components/DeviceToken.tsx"
import { ErrorMessage, Loading, Notice } from "../components/Feedback.tsx"
import { Field } from "../components/Field.tsx"
import { PaymentsTable } from "../components/PaymentsTable.tsx"
import { StatusBadge } from "../components/StatusBadge.tsx"
import { UptimeHistory } from "../components/UptimeHistory.tsx"
import { card, heading, muted, primaryButton, secondaryButton, sectionHeading } from "../components/styles.ts"
import { formatDateTime, formatRelative, t } from "../i18n/i18n.ts"
import { applyPaymentEvent } from "../live/payments.ts"
import { useTopic, useTopicAfter } from "../live/useTopic.ts"
import { lastDays, totalsByCurrency } from "../sales/series.ts"
import { settled } from "../components/resource.ts"
import { ForecastFacts, ForecastRefusal } from "../forecast/ForecastFacts.tsx"

/** Days forecast on the kiosk's page, after the 30 days of history. */
const FORECAST_DAYS = 30

export default function KioskDetail() {
  const app = useApp()
  const params = useParams<{ id: string }>()
  const isAdmin = () => can(app.session.user()?.role, "manageKiosk")
  const days = lastDays(30, new Date())

  const [kiosk, { mutate: setKiosk, refetch }] = createResource(() => params.id, (id) => app.api.kiosks.get(id))
  const [payments, { mutate: setPayments }] = createResource(() => params.id, (id) => app.api.payments.list({ kiosk_id: id, limit: 10 }))
  const [uptime, { refetch: refetchUptime }] = createResource<KioskUptime, string, { minSeq: number }>(
    () => params.id,
    (id, info) => app.api.kiosks.uptime(id, { from: days[0]!, to: days[days.length - 1]!, min_seq: typeof info.refetching === "object" ? info.refetching.minSeq : undefined }),
  )
  const [sales] = createResource(() => params.id, (id) => app.api.sales.daily({ kiosk_id: id, from: days[0]!, to: days[days.length - 1]! }))
  // The label prints the name and location too: fetched again when they change. Only admins print labels (the
  // edge refuses anyone else), so no one else asks.
  const [label] = createResource(
    () => { const k = settled(kiosk); return isAdmin() && k && { id: k.id, name: k.name, location: k.location } },
    async ({ id }) => URL.createObjectURL(new Blob([await app.api.kiosks.qrLabel(id)], { type: "image/svg+xml" })),
  )
  createEffect(on(() => settled(label), (url) => { if (url) onCleanup(() => URL.revokeObjectURL(url)) }))
  // The forecast from today on, beside the history it stands on (up to yesterday, the last complete day).
  const [prediction] = createResource(() => params.id, (id) => app.api.ai.predict({ kiosk_id: id, horizon: FORECAST_DAYS }))
  const forecasts = () => settled(prediction)?.forecasts ?? []
  const currency = createMemo(() => totalsByCurrency(settled(sales)?.items ?? [])[0]?.currency ?? forecasts()[0]?.currency)
  const forecast = createMemo(() => forecasts().find((f) => f.currency === currency()))
  const chartDays = () => { const f = forecast(); return f ? days.filter((day) => day <= f.history.to) : days }

  // Each topic reads one stream, so its seq orders it: the kiosk's own payment topic resumes from the payment
  // list's position; kiosk events (online, offline, renamed, assigned…) come on "kiosks" and are few.
  useTopicAfter(() => `kiosk:${params.id}`, () => settled(payments), (message) => {
    const latest = settled(payments)
    if (latest) setPayments({ ...latest, items: applyPaymentEvent(latest.items, message, () => true).slice(0, 10) })
  })
  useTopic("kiosks", (message) => {
    const { type, data } = message.event
    const current = settled(kiosk)
    if (!current || data.kioskId !== params.id) return
    if (type === "KioskCameOnline") setKiosk({ ...current, connectivity: "online", lastSeenAt: String(data.at) })
    else if (type === "KioskWentOffline") setKiosk({ ...current, connectivity: "offline" })
    else void refetch()
    if (type === "KioskCameOnline" || type === "KioskWentOffline") void refetchUptime({ minSeq: message.seq })
  })

  return (
    <div class="space-y-4">
      <ErrorMessage error={kiosk.error} onRetry={() => void refetch()} />
      <Show when={settled(kiosk)} fallback={<Show when={!kiosk.error}><Loading /></Show>}>
        {(current) => (
          <>
            <div class="flex flex-wrap items-center gap-3">
              <h1 class={heading}>{t("kiosk.title", { name: current().name })}</h1>
              <StatusBadge kiosk={current()} />
            </div>
            <div class="grid gap-4 lg:grid-cols-3">
              <section class={`${card} ${isAdmin() ? "lg:col-span-2" : "lg:col-span-3"}`} aria-labelledby="details-heading">
                <h2 id="details-heading" class={sectionHeading}>{t("kiosk.details")}</h2>
                <dl class="mt-2 grid gap-x-6 gap-y-2 sm:grid-cols-2">
                  <div><dt class={muted}>{t("kiosks.code")}</dt><dd class="font-mono">{current().code}</dd></div>
                  <div><dt class={muted}>{t("kiosks.location")}</dt><dd>{current().location || t("app.none")}</dd></div>
                  <div>
                    <dt class={muted}>{t("kiosks.lastSeen")}</dt>
                    <dd>
                      <Show when={current().lastSeenAt} fallback={t("kiosks.never")}>
                        {(seen) => <time datetime={seen()} title={formatDateTime(seen())}>{formatRelative(seen())}</time>}
                      </Show>
                    </dd>
                  </div>
                  <div><dt class={muted}>{t("kiosk.operator")}</dt><dd>{current().operatorName ?? current().operatorId ?? t("kiosks.unassigned")}</dd></div>
                </dl>
              </section>
              <Show when={isAdmin()}>
              <section class={`${card} space-y-3`} aria-labelledby="label-heading">
                <h2 id="label-heading" class={sectionHeading}>{t("kiosk.label")}</h2>
                <ErrorMessage error={label.error} />
                <Show when={settled(label)}>
                  {(url) => (
                    <div class="print-label rounded-md bg-white p-3">
                      <img src={url()} alt={`QR ${current().code} — ${current().name}`} class="mx-auto w-64 max-w-full" />
                    </div>
                  )}
                </Show>
                <button type="button" class={secondaryButton} onClick={() => window.print()} disabled={!settled(label)}>{t("kiosk.print")}</button>
              </section>
              </Show>
            </div>
            <Show when={isAdmin()}>
              <KioskAdmin kiosk={current()} onChange={(next) => setKiosk(next)} />
            </Show>
          </>
        )}
      </Show>
      <section class={`${card} space-y-3`} aria-labelledby="kiosk-sales-heading">
        <h2 id="kiosk-sales-heading" class={sectionHeading}>{t(forecast() ? "forecast.heading" : "kiosk.sales")}</h2>
        <ErrorMessage error={sales.error} />
        <Show when={currency()} fallback={<Show when={!sales.loading && !sales.error}><p class={muted}>{t("dashboard.sales30Empty")}</p></Show>}>
          {(code) => (
            <SalesChart title={t(forecast() ? "forecast.heading" : "kiosk.sales")} rows={settled(sales)?.items ?? []} currency={code()} days={chartDays()}
              forecast={forecast()?.daily} baseline={forecast()?.baseline.daily} />
          )}
        </Show>
        <Show when={forecast()}>{(f) => <ForecastFacts forecast={f()} />}</Show>
        <Show when={prediction.error}>{(error) => <ForecastRefusal error={error()} />}</Show>
      </section>
      <section class={card} aria-labelledby="kiosk-uptime-heading">
        <h2 id="kiosk-uptime-heading" class={sectionHeading}>{t("uptime.title")}</h2>
        <ErrorMessage error={uptime.error} onRetry={() => void refetchUptime()} />
        <Show when={settled(uptime)} fallback={<Show when={!uptime.error}><Loading /></Show>}>
          {(current) => <UptimeHistory uptime={current()} />}
        </Show>
      </section>
      <section class={card} aria-labelledby="kiosk-payments-heading">
        <h2 id="kiosk-payments-heading" class={sectionHeading}>{t("kiosk.payments")}</h2>
        <ErrorMessage error={payments.error} />
        <PaymentsTable payments={settled(payments)?.items ?? []} showKiosk={false}
          onRefunded={(payment: Payment) => {
            const latest = settled(payments)
            if (latest) setPayments({ ...latest, items: latest.items.map((p) => (p.id === payment.id ? payment : p)) })
          }} />
      </section>
    </div>
  )
}

function KioskAdmin(props: { kiosk: Kiosk; onChange: (kiosk: Kiosk) => void }) {
  const app = useApp()
  const [name, setName] = createSignal(props.kiosk.name)
  const [location, setLocation] = createSignal(props.kiosk.location)
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>(null)
  const [notice, setNotice] = createSignal<string | null>(null)
  const [confirm, setConfirm] = createSignal<"unassign" | "rotate" | null>(null)
  const [deviceToken, setDeviceToken] = createSignal<string | null>(null)

  // Command answers carry the kiosk as the write side knows it; what only the read model knows (last seen,
  // registration time, operator name) is kept from what we had.
  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    setNotice(null)
    try { await action() } catch (failure) { setError(failure) } finally { setBusy(false); setConfirm(null) }
  }
  const save = (event: SubmitEvent) => {
    event.preventDefault()
    void run(async () => {
      props.onChange({ ...props.kiosk, ...(await app.api.kiosks.update(props.kiosk.id, { name: name(), location: location() })).kiosk })
      setNotice(t("app.saved"))
    })
  }
  const unassign = () => run(async () => {
    props.onChange({ ...props.kiosk, ...(await app.api.kiosks.unassign(props.kiosk.id)).kiosk })
    setNotice(t("kiosk.unassigned"))
  })
  const rotate = () => run(async () => {
    setDeviceToken((await app.api.kiosks.rotateCredential(props.kiosk.id)).deviceToken)
  })

  return (
    <section class={`${card} space-y-4`} aria-labelledby="kiosk-admin-heading">
      <h2 id="kiosk-admin-heading" class={sectionHeading}>{t("kiosk.edit")}</h2>
      <ErrorMessage error={error()} />
      <Show when={notice()}><Notice tone="success">{notice()}</Notice></Show>
      <form class="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end" onSubmit={save}>
        <Field label={t("register.name")} required maxlength={80} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        <Field label={t("register.location")} maxlength={120} value={location()} onInput={(e) => setLocation(e.currentTarget.value)} />
        <button type="submit" class={primaryButton} disabled={busy()}>{t("app.save")}</button>
      </form>
      <div class="flex flex-wrap gap-2">
        <Show when={props.kiosk.operatorId}>
          <button type="button" class={secondaryButton} onClick={() => setConfirm("unassign")}>{t("kiosk.unassign")}</button>
        </Show>
        <button type="button" class={secondaryButton} onClick={() => setConfirm("rotate")}>{t("kiosk.rotate")}</button>
      </div>
      <Show when={deviceToken()}>
        {(token) => <DeviceToken token={token()} />}
      </Show>
      <ConfirmDialog open={confirm() === "unassign"} title={t("kiosk.unassign")} confirmLabel={t("kiosk.unassign")} busy={busy()}
        onConfirm={() => void unassign()} onCancel={() => setConfirm(null)}>
        <p>{t("kiosk.unassignConfirm", { name: props.kiosk.name })}</p>
      </ConfirmDialog>
      <ConfirmDialog open={confirm() === "rotate"} title={t("kiosk.rotate")} confirmLabel={t("kiosk.rotate")} busy={busy()}
        onConfirm={() => void rotate()} onCancel={() => setConfirm(null)}>
        <p>{t("kiosk.rotateConfirm")}</p>
      </ConfirmDialog>
    </section>
  )
}
