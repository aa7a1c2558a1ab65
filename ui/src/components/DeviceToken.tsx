import { renderSVG } from "uqr"
import { t } from "../i18n/i18n.ts"
import { CopyButton } from "./CopyButton.tsx"
import { Notice } from "./Feedback.tsx"

/**
 * A device token, shown once: it is never stored by the console and cannot be fetched again. Also as a QR code,
 * so the kiosk app can scan it instead of someone typing 80 characters on a kiosk.
 */
export function DeviceToken(props: { token: string }) {
  const qr = () => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(props.token, { border: 2 }))}`
  return (
    <Notice tone="warning">
      <p>{t("kiosk.tokenOnce")}</p>
      <div class="mt-2 flex flex-wrap items-center gap-2">
        <label class="sr-only" for="device-token">{t("kiosk.tokenLabel")}</label>
        <input id="device-token" readonly value={props.token} class="min-w-0 flex-1 rounded border border-slate-400 bg-white px-2 py-1 font-mono text-xs text-slate-900"
          onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={props.token} />
      </div>
      <figure class="mt-3 flex flex-wrap items-center gap-3">
        <img src={qr()} alt={t("kiosk.tokenQr")} width="176" height="176" class="rounded bg-white" />
        <figcaption class="max-w-xs">{t("kiosk.tokenQrHint")}</figcaption>
      </figure>
    </Notice>
  )
}
