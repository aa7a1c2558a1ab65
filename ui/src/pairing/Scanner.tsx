// Three ways to read a kiosk's pairing code: the camera (where allowed), a photo of the label, or typing it.
import { createSignal, Match, Show, Switch } from "solid-js"
import { Field } from "../components/Field.tsx"
import { Notice } from "../components/Feedback.tsx"
import { card, primaryButton, secondaryButton, sectionHeading } from "../components/styles.ts"
import { t } from "../i18n/i18n.ts"
import { createCameraScanner } from "./cameraScanner.ts"
import { decodeImage } from "./decoder.ts"
import { cameraWanted, pairingCodeFrom, printedCode } from "./scannerState.ts"

export function Scanner(props: { onCode: (code: string) => void; initialCode?: string; busy?: boolean }) {
  const [manual, setManual] = createSignal(props.initialCode ?? "")
  const [manualError, setManualError] = createSignal<string | null>(null)
  const [uploadMessage, setUploadMessage] = createSignal<string | null>(null)
  const camera = createCameraScanner(pairingCodeFrom, (code) => {
    setManual(code)
    props.onCode(code)
  })
  const state = camera.state

  const upload = async (file: File | undefined) => {
    setUploadMessage(null)
    if (!file) return
    const code = pairingCodeFrom((await decodeImage(file).catch(() => null)) ?? "")
    if (!code) return setUploadMessage(t("pair.uploadNothing"))
    setManual(code)
    props.onCode(code)
  }

  const submitManual = (event: SubmitEvent) => {
    event.preventDefault()
    const code = pairingCodeFrom(manual())
    setManualError(code ? null : t("pair.invalidCode"))
    if (code) props.onCode(code)
  }

  return (
    <div class="grid gap-4 lg:grid-cols-2">
      <section class={`${card} space-y-3`} aria-labelledby="camera-heading">
        <h2 id="camera-heading" class={sectionHeading}>{t("pair.camera")}</h2>
        <div class={`relative overflow-hidden rounded-md bg-black ${state().kind === "scanning" ? "" : "hidden"}`}>
          <video ref={camera.bind} class="aspect-video w-full object-cover" aria-label={t("pair.video")} muted playsinline />
          <div class="pointer-events-none absolute inset-[15%] rounded-lg border-4 border-white/80" aria-hidden="true" />
        </div>
        <div aria-live="polite" data-scanner-state={state().kind}>
          <Switch>
            <Match when={state().kind === "requesting"}><p class="text-sm">{t("pair.requesting")}</p></Match>
            <Match when={state().kind === "scanning"}><p class="text-sm">{t("pair.scanning")}</p></Match>
            <Match when={state().kind === "found" && state()} keyed>
              {(found) => found.kind === "found" && <Notice tone="success">{t("pair.found", { code: printedCode(found.code) })}</Notice>}
            </Match>
            <Match when={state().kind === "no-camera"}><Notice tone="warning">{t("pair.noCamera")}</Notice></Match>
            <Match when={state().kind === "permission-denied"}><Notice tone="warning">{t("pair.denied")}</Notice></Match>
            <Match when={state().kind === "insecure"}><Notice tone="warning">{t("pair.insecure")}</Notice></Match>
            <Match when={state().kind === "error" && state()} keyed>
              {(failed) => failed.kind === "error" && <Notice tone="warning">{t("pair.cameraError", { message: failed.message })}</Notice>}
            </Match>
          </Switch>
        </div>
        <Show when={cameraWanted(state())} fallback={
          <button type="button" class={primaryButton} onClick={() => void camera.start()}>{t("pair.startCamera")}</button>
        }>
          <button type="button" class={secondaryButton} onClick={() => camera.stop()}>{t("pair.stopCamera")}</button>
        </Show>
        <div>
          <label for="qr-upload" class="mb-1 block text-sm font-medium">{t("pair.upload")}</label>
          <input id="qr-upload" type="file" accept="image/*"
            class="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-200 file:px-3 file:py-2 dark:file:bg-slate-700"
            onChange={(e) => void upload(e.currentTarget.files?.[0])} />
          <Show when={uploadMessage()}><p role="alert" class="mt-1 text-sm text-red-700 dark:text-red-400">{uploadMessage()}</p></Show>
        </div>
      </section>
      <section class={`${card} space-y-3`} aria-labelledby="manual-heading">
        <h2 id="manual-heading" class={sectionHeading}>{t("pair.manualHeading")}</h2>
        <form class="space-y-3" onSubmit={submitManual}>
          <Field label={t("pair.manual")} name="code" autocomplete="off" autocapitalize="characters" spellcheck={false}
            hint={t("pair.manualHint")} error={manualError()} value={manual()} onInput={(e) => setManual(e.currentTarget.value)} />
          <button type="submit" class={primaryButton} disabled={props.busy}>{t("pair.submit")}</button>
        </form>
      </section>
    </div>
  )
}
