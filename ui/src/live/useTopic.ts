// Listen to live topics for as long as the calling component lives.
import { createEffect, on, onCleanup, untrack } from "solid-js"
import { useApp } from "../app/context.tsx"
import type { LiveListener } from "./socket.ts"

export function useTopic(topic: string, listener: LiveListener) {
  const { live } = useApp()
  onCleanup(live.subscribe(topic, listener))
}

/**
 * Listen to `topic` once `loaded` (a list read from the edge, with the stream position `seq` it reflects) is there:
 * replay from that position so nothing falls between the read and the subscription, and skip events the list
 * (or a later re-read of it) already holds.
 */
export function useTopicAfter(topic: () => string, loaded: () => { seq?: number | undefined } | undefined, listener: LiveListener) {
  const { live } = useApp()
  createEffect(on([topic, () => loaded() !== undefined], ([name, ready]) => {
    if (!ready) return
    onCleanup(live.subscribe(name, (message) => {
      const seen = untrack(loaded)?.seq
      if (seen === undefined || message.seq > seen) listener(message)
    }, untrack(loaded)?.seq))
  }))
}

/** Calls `fn` at most once per `ms`, trailing: for refetches triggered by bursts of live events. */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  onCleanup(() => clearTimeout(timer))
  return () => {
    if (timer === undefined) timer = setTimeout(() => { timer = undefined; fn() }, ms)
  }
}
