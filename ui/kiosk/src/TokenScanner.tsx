// Reads a device token from its QR code (the console shows one after registering a kiosk or rotating its
// credential) with the console's camera scanner, looking for a token instead of a kiosk code.
import { Match, Show, Switch } from "solid-js"
import { Notice } from "../../src/components/Notice.tsx"
import { primaryButton, secondaryButton } from "../../src/components/styles.ts"
import { cameraWanted, createCameraScanner } from "../../src/pairing/index.ts"
import { kioskIdOfToken } from "../../../src/kiosk-client/browser.ts"
import { t } from "./i18n/i18n.ts"

const tokenIn = (text: string) => (kioskIdOfToken(text.trim()) === undefined ? null : text.trim())

export function TokenScanner(props: { onToken: (token: string) => void }) {
  const camera = createCameraScanner(tokenIn, (token) => props.onToken(token))
  const state = camera.state

  return (
    <div class="space-y-2">
      <div class={`overflow-hidden rounded-md bg-black ${state().kind === "scanning" ? "" : "hidden"}`}>
        <video ref={camera.bind} class="aspect-video w-full object-cover" aria-label={t("scan.video")} muted playsinline />
      </div>
      <div aria-live="polite" data-scanner-state={state().kind}>
        <Switch>
          <Match when={state().kind === "requesting"}><p class="text-sm">{t("scan.requesting")}</p></Match>
          <Match when={state().kind === "scanning"}><p class="text-sm">{t("scan.scanning")}</p></Match>
          <Match when={state().kind === "found"}><Notice tone="success">{t("scan.found")}</Notice></Match>
          <Match when={state().kind === "no-camera"}><Notice tone="warning">{t("scan.noCamera")}</Notice></Match>
          <Match when={state().kind === "permission-denied"}><Notice tone="warning">{t("scan.denied")}</Notice></Match>
          <Match when={state().kind === "insecure"}><Notice tone="warning">{t("scan.insecure")}</Notice></Match>
          <Match when={state().kind === "error"}>
            <Notice tone="warning">{t("scan.error", { message: (state() as { message?: string }).message ?? "" })}</Notice>
          </Match>
        </Switch>
      </div>
      <Show when={cameraWanted(state())} fallback={
        <button type="button" class={secondaryButton} onClick={() => void camera.start()}>{t("scan.start")}</button>
      }>
        <button type="button" class={primaryButton} onClick={() => camera.stop()}>{t("scan.stop")}</button>
      </Show>
    </div>
  )
}
