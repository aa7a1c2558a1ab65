// The kiosk app's screens: setup on first run, then the pairing label, the till, receipts and settings, with the
// status bar under all of them once the kiosk has a device token.
import { createSignal, Match, onMount, Show, Switch } from "solid-js"
import type { QueuedPayment } from "../../../src/kiosk-client/browser.ts"
import { type Device, holdKiosk, openDevice } from "./device.ts"
import { t } from "./i18n/i18n.ts"
import { Label } from "./screens/Label.tsx"
import { Receipt } from "./screens/Receipt.tsx"
import { Sale } from "./screens/Sale.tsx"
import { Settings } from "./screens/Settings.tsx"
import { Setup } from "./screens/Setup.tsx"
import { StatusBar } from "./StatusBar.tsx"

type Start = { kind: "starting" } | { kind: "blocked" } | { kind: "failed"; message: string } | { kind: "setup" } | { kind: "ready"; device: Device }
type Screen = { kind: "label" } | { kind: "sale" } | { kind: "receipt"; payment: QueuedPayment } | { kind: "settings" }

export function App() {
  const [start, setStart] = createSignal<Start>({ kind: "starting" })
  const [screen, setScreen] = createSignal<Screen>({ kind: "sale" })

  onMount(async () => {
    try {
      if (!(await holdKiosk())) return setStart({ kind: "blocked" })
      const device = await openDevice()
      setStart(device === "needs-token" ? { kind: "setup" } : { kind: "ready", device })
    } catch (error) {
      setStart({ kind: "failed", message: error instanceof Error ? error.message : String(error) })
    }
  })

  const ready = (device: Device) => {
    setScreen({ kind: "label" })
    setStart({ kind: "ready", device })
  }

  return (
    <Switch>
      <Match when={start().kind === "starting"}><p role="status" class="p-4">{t("app.loading")}</p></Match>
      <Match when={start().kind === "blocked"}><p role="alert" class="p-4">{t("app.blocked")}</p></Match>
      <Match when={start().kind === "failed"}>
        <p role="alert" class="p-4">{t("app.failed", { message: (start() as { message: string }).message })}</p>
      </Match>
      <Match when={start().kind === "setup"}><Setup onReady={ready} /></Match>
      <Match when={start().kind === "ready" && (start() as { device: Device }).device} keyed>
        {(device) => (
          <div class="flex min-h-dvh flex-col">
            <header class="flex items-center justify-between px-4 pt-3">
              <span class="text-sm font-semibold">{t("app.title")}</span>
              <Show when={screen().kind !== "settings"}>
                <button type="button" class="text-sm underline" onClick={() => setScreen({ kind: "settings" })}>{t("settings.open")}</button>
              </Show>
            </header>
            <div class="flex-1">
              <Switch>
                <Match when={screen().kind === "label"}><Label device={device} onDone={() => setScreen({ kind: "sale" })} /></Match>
                <Match when={screen().kind === "sale"}><Sale device={device} onTaken={(payment) => setScreen({ kind: "receipt", payment })} /></Match>
                <Match when={screen().kind === "receipt" && (screen() as { payment: QueuedPayment }).payment} keyed>
                  {(payment) => <Receipt device={device} payment={payment} onNext={() => setScreen({ kind: "sale" })} />}
                </Match>
                <Match when={screen().kind === "settings"}>
                  <Settings device={device} onBack={() => setScreen({ kind: "sale" })} onLabel={() => setScreen({ kind: "label" })} />
                </Match>
              </Switch>
            </div>
            <StatusBar device={device} onSettings={() => setScreen({ kind: "settings" })} />
          </div>
        )}
      </Match>
    </Switch>
  )
}
