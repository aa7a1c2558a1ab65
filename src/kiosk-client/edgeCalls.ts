// The two requests a kiosk makes to the edge, over `fetch` (Node and browsers alike). An exchange either got an
// HTTP answer or never reached the edge; nothing here throws, so the sender decides every case in one place.
import { retryAfterMs } from "./delivery.ts"
import type { QueuedPayment, RejectionProblem } from "./journal.ts"

export interface EdgeConnection {
  /** The edge's origin, e.g. "http://127.0.0.1:8080"; "" in a browser page the edge serves. */
  readonly baseUrl: string
  readonly fetch: typeof fetch
  /** An answer slower than this counts as a network failure (the payment is sent again, under the same key). */
  readonly timeoutMs: number
  readonly now: () => number
}

export type Exchange =
  | { readonly kind: "answer"; readonly status: number; readonly body: unknown; readonly text: string; readonly retryAfterMs: number | undefined }
  | { readonly kind: "unreachable"; readonly reason: string }

async function exchange(
  edge: EdgeConnection,
  request: { readonly method?: "GET" | "POST"; readonly path: string; readonly token: string; readonly body?: unknown; readonly headers?: Record<string, string> },
  signal?: AbortSignal,
): Promise<Exchange> {
  const timeout = AbortSignal.timeout(edge.timeoutMs)
  try {
    const response = await edge.fetch(`${edge.baseUrl}${request.path}`, {
      method: request.method ?? "POST",
      headers: {
        accept: "application/json, application/problem+json",
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        authorization: `Bearer ${request.token}`,
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      // A kiosk's request is never served from a cache, and a service worker does not get to answer it.
      cache: "no-store",
    })
    const text = await response.text()
    let body: unknown
    if (/json/i.test(response.headers.get("content-type") ?? "")) {
      try { body = JSON.parse(text) } catch { body = undefined }
    }
    return { kind: "answer", status: response.status, body, text, retryAfterMs: retryAfterMs(response.headers.get("retry-after"), edge.now()) }
  } catch (error) {
    return { kind: "unreachable", reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}

export const postPayment = (edge: EdgeConnection, token: string, payment: QueuedPayment, signal?: AbortSignal) =>
  exchange(edge, {
    path: "/payments",
    token,
    headers: { "idempotency-key": payment.key },
    body: { kiosk_id: payment.kioskId, amount: payment.amount, currency: payment.currency, occurred_at: payment.occurredAt },
  }, signal)

export const getPairingLabel = (edge: EdgeConnection, token: string, kioskId: string) =>
  exchange(edge, { method: "GET", path: `/kiosks/${encodeURIComponent(kioskId)}/qr`, token, headers: { accept: "image/svg+xml, application/problem+json" } })

export type HeartbeatStatus = Readonly<Record<string, string | number | boolean>>

export const postHeartbeat = (edge: EdgeConnection, token: string, kioskId: string, appVersion: string, status: HeartbeatStatus) =>
  exchange(edge, { path: `/kiosks/${encodeURIComponent(kioskId)}/heartbeat`, token, body: { appVersion, status } })

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null

/** The edge's receipt of a payment, or undefined when a 2xx body is not one (a captive portal's page, say). */
export function receiptOf(body: unknown): { readonly paymentId: string; readonly seq: number } | undefined {
  if (!isObject(body) || !isObject(body.payment) || typeof body.payment.id !== "string" || !Number.isSafeInteger(body.seq)) return undefined
  return { paymentId: body.payment.id, seq: body.seq as number }
}

/** The problem of a refused request, its field errors folded into the detail so that the rejected list names them. */
export function problemOf(answer: Extract<Exchange, { kind: "answer" }>): RejectionProblem {
  const body = isObject(answer.body) ? answer.body : {}
  const text = (v: unknown) => (typeof v === "string" ? v : undefined)
  const fields = Array.isArray(body.errors)
    ? body.errors.filter(isObject).map((e) => `${text(e.path) ?? ""} ${text(e.message) ?? ""}`.trim()).filter(Boolean)
    : []
  const detail = text(body.detail) ?? (answer.text.slice(0, 300) || `HTTP ${answer.status}`)
  return {
    type: text(body.type) ?? "about:blank",
    title: text(body.title) ?? `HTTP ${answer.status}`,
    detail: fields.length > 0 ? `${detail}: ${fields.join("; ")}` : detail,
  }
}
