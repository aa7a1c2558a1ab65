// Pair a kiosk to yourself: read its pairing code (camera, photo or typing) and ask the edge to assign it.
import { A, useSearchParams } from "@solidjs/router"
import { createSignal, Match, Switch } from "solid-js"
import { useApp } from "../app/context.tsx"
import { ApiError } from "../api/problem.ts"
import type { KioskChange } from "../api/types.ts"
import { describeError, Notice } from "../components/Feedback.tsx"
import { heading, muted } from "../components/styles.ts"
import { t } from "../i18n/i18n.ts"
import { printedCode, Scanner } from "../pairing/index.ts"

type Outcome =
  | { kind: "pairing"; code: string }
  | { kind: "paired"; kiosk: KioskChange["kiosk"] }
  | { kind: "unknown"; code: string }
  | { kind: "taken"; code: string }
  | { kind: "failed"; code: string; error: unknown }

export default function Pair() {
  const app = useApp()
  const [params] = useSearchParams()
  const [outcome, setOutcome] = createSignal<Outcome | null>(null)

  // `pairingCode` is the label's `<kiosk code>:<secret>`; messages name the kiosk by its printed code only.
  const pair = async (pairingCode: string) => {
    const code = printedCode(pairingCode)
    setOutcome({ kind: "pairing", code })
    try {
      const { kiosk } = await app.api.kiosks.assign(pairingCode)
      setOutcome({ kind: "paired", kiosk })
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setOutcome({ kind: "unknown", code })
      else if (error instanceof ApiError && error.status === 409) setOutcome({ kind: "taken", code })
      else setOutcome({ kind: "failed", code, error })
    }
  }

  return (
    <section class="space-y-4" aria-labelledby="pair-title">
      <h1 id="pair-title" class={heading}>{t("pair.title")}</h1>
      <p class={muted}>{t("pair.intro")}</p>
      <div aria-live="polite" data-testid="pair-outcome">
        <Switch>
          <Match when={outcome()?.kind === "pairing" && outcome()} keyed>
            {(o) => o.kind === "pairing" && <Notice>{t("pair.submitting", { code: o.code })}</Notice>}
          </Match>
          <Match when={outcome()?.kind === "paired" && outcome()} keyed>
            {(o) => o.kind === "paired" && (
              <Notice tone="success">
                {t("pair.done", { name: o.kiosk.name })}{" "}
                <A class="underline" href={`/kiosks/${encodeURIComponent(o.kiosk.id)}`}>{o.kiosk.code}</A>
              </Notice>
            )}
          </Match>
          <Match when={outcome()?.kind === "unknown" && outcome()} keyed>
            {(o) => o.kind === "unknown" && <Notice tone="warning">{t("pair.unknown", { code: o.code })}</Notice>}
          </Match>
          <Match when={outcome()?.kind === "taken" && outcome()} keyed>
            {(o) => o.kind === "taken" && <Notice tone="warning">{t("pair.taken", { code: o.code })}</Notice>}
          </Match>
          <Match when={outcome()?.kind === "failed" && outcome()} keyed>
            {(o) => o.kind === "failed" && <Notice tone="warning">{t("pair.failed", { message: describeError(o.error) })}</Notice>}
          </Match>
        </Switch>
      </div>
      <Scanner onCode={(code) => void pair(code)} initialCode={typeof params.code === "string" ? params.code : ""}
        busy={outcome()?.kind === "pairing"} />
    </section>
  )
}
