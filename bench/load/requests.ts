// The n-th request of a plan, and what a 2xx answer tells the bench (a payment's id).
import type { RequestPlan } from "./spec.ts"

export interface HttpRequest {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly headers: Record<string, string>
  readonly body?: string
  /** Which kiosk sent it (payments), for the per-kiosk count. */
  readonly kiosk?: number
}

export function requestMaker(plan: RequestPlan, tag: string): (n: number) => HttpRequest {
  switch (plan.kind) {
    case "get":
      return () => ({ method: "GET", path: plan.path, headers: {} })
    case "login": {
      const body = JSON.stringify({ username: plan.username, password: plan.password })
      return () => ({ method: "POST", path: "/auth/login", headers: { "content-type": "application/json" }, body })
    }
    case "payments":
      return (n) => {
        const kiosk = n % plan.kiosks.length
        const { id, token } = plan.kiosks[kiosk]!
        return {
          method: "POST",
          path: "/payments",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": `${tag}-${n}` },
          body: JSON.stringify({ kiosk_id: id, amount: 100 + (n % 9_900), currency: n % 5 === 0 ? "USD" : "EUR" }),
          kiosk,
        }
      }
  }
}

const PAYMENT_ID = /"id":"(pay_[0-9a-z]+)"/

/** The payment id in a POST /payments answer, if it has one. */
export const paymentIdIn = (body: string): string | undefined => PAYMENT_ID.exec(body)?.[1]
