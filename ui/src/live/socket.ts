// The live connection to the edge's /ws: authenticate first, subscribe to topics, and after any drop reconnect with
// exponential backoff and resume each topic from the last sequence seen, dropping anything seen already.
import { createSignal } from "solid-js"
import type { LiveEvent } from "../api/types.ts"

export type LiveState = "idle" | "connecting" | "open" | "reconnecting" | "closed"
export interface LiveMessage { topic: string; seq: number; event: LiveEvent }
export type LiveListener = (message: LiveMessage) => void

/** What we need of a WebSocket: the browser's, Node's or the `ws` package's. */
export interface SocketLike {
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number }) => void) | null
  onerror: ((event: unknown) => void) | null
}

export interface Backoff { initialMs: number; maxMs: number; factor: number }

export interface LiveSocketOptions {
  url: string
  /** An access token; `force` asks for a renewed one (the edge refused the last). null: the session is over. */
  token: (force: boolean) => Promise<string | null>
  createSocket?: (url: string) => SocketLike
  backoff?: Partial<Backoff>
  /** For jitter; tests pass a constant. */
  random?: () => number
}

/** The edge closes with 4401 when the token is missing, wrong or expired. */
const UNAUTHORIZED = 4401

/** Delay before reconnect number `attempt` (0-based): exponential, capped, with jitter in [50 %, 100 %]. */
export function backoffDelay(attempt: number, backoff: Backoff, random: number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** attempt)
  return Math.round(base * (0.5 + random / 2))
}

export type LiveSocket = ReturnType<typeof createLiveSocket>

export function createLiveSocket(options: LiveSocketOptions) {
  const backoff: Backoff = { initialMs: 500, maxMs: 30_000, factor: 2, ...options.backoff }
  const random = options.random ?? Math.random
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike)
  const [state, setState] = createSignal<LiveState>("idle")
  const topics = new Map<string, { lastSeq: number | undefined; listeners: Set<LiveListener> }>()
  let socket: SocketLike | null = null
  let ready = false
  let stopped = true
  let attempt = 0
  let renewToken = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const sendJson = (message: object) => socket?.send(JSON.stringify(message))

  function sendSubscribe(topic: string) {
    const lastSeq = topics.get(topic)?.lastSeq
    sendJson(lastSeq === undefined ? { type: "subscribe", topic } : { type: "subscribe", topic, from_seq: lastSeq })
  }

  function handle(raw: unknown) {
    let message: { type?: unknown; topic?: unknown; seq?: unknown; event?: unknown; code?: unknown }
    try { message = JSON.parse(String(raw)) } catch { return }
    switch (message.type) {
      case "ready":
        ready = true
        attempt = 0
        setState("open")
        for (const topic of topics.keys()) sendSubscribe(topic)
        return
      case "event": {
        if (typeof message.topic !== "string" || typeof message.seq !== "number") return
        const entry = topics.get(message.topic)
        if (!entry || (entry.lastSeq !== undefined && message.seq <= entry.lastSeq)) return
        entry.lastSeq = message.seq
        const delivered: LiveMessage = { topic: message.topic, seq: message.seq, event: message.event as LiveEvent }
        for (const listener of entry.listeners) listener(delivered)
        return
      }
      case "error":
        if (message.code === "unauthorized" || message.code === UNAUTHORIZED) renewToken = true
        return
    }
  }

  function scheduleReconnect() {
    setState("reconnecting")
    const delay = backoffDelay(attempt, backoff, random())
    attempt += 1
    timer = setTimeout(() => void open(), delay)
  }

  async function open() {
    timer = undefined
    let token: string | null
    try {
      token = await options.token(renewToken)
    } catch {
      // The edge could not renew the token just now (down, unreachable): try again later.
      if (!stopped) scheduleReconnect()
      return
    }
    renewToken = false
    if (stopped) return
    if (token === null) {
      stopped = true
      setState("closed")
      return
    }
    const ws = createSocket(options.url)
    socket = ws
    ready = false
    ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token }))
    ws.onmessage = (event) => { if (socket === ws) handle(event.data) }
    ws.onerror = () => {}
    ws.onclose = (event) => {
      if (socket !== ws) return
      socket = null
      ready = false
      if (event.code === UNAUTHORIZED) renewToken = true
      if (!stopped) scheduleReconnect()
    }
  }

  return {
    state,
    /** Listen to a topic; `fromSeq` (e.g. the `seq` of the list just loaded) replays what came after it. */
    subscribe(topic: string, listener: LiveListener, fromSeq?: number): () => void {
      let entry = topics.get(topic)
      if (!entry) {
        entry = { lastSeq: fromSeq, listeners: new Set() }
        topics.set(topic, entry)
        if (ready) sendSubscribe(topic)
      }
      const subscribed = entry
      subscribed.listeners.add(listener)
      return () => {
        subscribed.listeners.delete(listener)
        if (subscribed.listeners.size > 0 || topics.get(topic) !== subscribed) return
        topics.delete(topic)
        if (ready) sendJson({ type: "unsubscribe", topic })
      }
    },
    lastSeq: (topic: string) => topics.get(topic)?.lastSeq,
    connect() {
      if (!stopped) return
      stopped = false
      attempt = 0
      setState("connecting")
      void open()
    },
    close() {
      stopped = true
      clearTimeout(timer)
      const ws = socket
      socket = null
      ready = false
      ws?.close(1000)
      setState("closed")
    },
  }
}
