// A form's send: busy while the request runs, then its outcome (a success line or the error) under the form.
import { createSignal, Show } from "solid-js"
import { ErrorMessage, Notice } from "./Feedback.tsx"

type Outcome = { ok: true } | { ok: false; error: unknown }

export function createSubmission(action: () => Promise<void>) {
  const [busy, setBusy] = createSignal(false)
  const [outcome, setOutcome] = createSignal<Outcome | null>(null)
  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    setOutcome(null)
    try {
      await action()
      setOutcome({ ok: true })
    } catch (error) {
      setOutcome({ ok: false, error })
    } finally {
      setBusy(false)
    }
  }
  return { busy, outcome, submit: (event: SubmitEvent) => void submit(event) }
}

/** What the last send came to: `success` when it worked, else the error. */
export function SubmissionOutcome(props: { outcome: Outcome | null; success: string }) {
  return (
    <Show when={props.outcome}>
      {(r) => {
        const outcome = r()
        return outcome.ok ? <Notice tone="success">{props.success}</Notice> : <ErrorMessage error={outcome.error} />
      }}
    </Show>
  )
}
