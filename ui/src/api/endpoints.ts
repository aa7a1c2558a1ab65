// Every edge endpoint the console calls, in one table: the client builds its requests from it, and
// ui/scripts/check-openapi.ts compares it with the edge's OpenAPI document.

export type Method = "GET" | "POST" | "PATCH" | "DELETE"
export interface Endpoint { readonly method: Method; readonly path: string }

export const endpoints = {
  login: { method: "POST", path: "/auth/login" },
  register: { method: "POST", path: "/auth/register" },
  refresh: { method: "POST", path: "/auth/refresh" },
  logout: { method: "POST", path: "/auth/logout" },
  me: { method: "GET", path: "/auth/me" },
  users: { method: "GET", path: "/auth/users" },
  updateUser: { method: "PATCH", path: "/auth/users/:id" },
  deactivateUser: { method: "DELETE", path: "/auth/users/:id" },
  addUser: { method: "POST", path: "/auth/users" },
  resetPassword: { method: "POST", path: "/auth/users/:id/password" },
  updateMe: { method: "PATCH", path: "/auth/me" },
  changePassword: { method: "POST", path: "/auth/me/password" },

  kiosks: { method: "GET", path: "/kiosks" },
  kioskSummary: { method: "GET", path: "/kiosks/summary" },
  kiosk: { method: "GET", path: "/kiosks/:id" },
  registerKiosk: { method: "POST", path: "/kiosks" },
  updateKiosk: { method: "PATCH", path: "/kiosks/:id" },
  assignKiosk: { method: "POST", path: "/kiosks/assign" },
  unassignKiosk: { method: "POST", path: "/kiosks/:id/unassign" },
  rotateCredential: { method: "POST", path: "/kiosks/:id/credentials" },
  kioskQr: { method: "GET", path: "/kiosks/:id/qr" },
  kioskUptime: { method: "GET", path: "/kiosks/:id/uptime" },

  payments: { method: "GET", path: "/payments" },
  payment: { method: "GET", path: "/payments/:id" },
  paymentTotals: { method: "GET", path: "/payments/totals" },
  exportPayments: { method: "GET", path: "/payments/export.csv" },
  refundPayment: { method: "POST", path: "/payments/:id/refund" },
  dailySales: { method: "GET", path: "/sales/daily" },

  auditStatus: { method: "GET", path: "/audit/status" },
  auditReconciliation: { method: "GET", path: "/audit/reconciliation" },
  auditReplay: { method: "GET", path: "/audit/payments" },

  predict: { method: "GET", path: "/ai/predict" },
  recommendations: { method: "GET", path: "/ai/recommendations" },

  notifications: { method: "GET", path: "/notify/messages" },
  retryNotification: { method: "POST", path: "/notify/messages/:id/retry" },
  testEmail: { method: "POST", path: "/notify/test-email" },
} as const satisfies Record<string, Endpoint>

export type EndpointName = keyof typeof endpoints

/** "/kiosks/:id" + { id: "k 1" } → "/kiosks/k%201". */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`)
    return encodeURIComponent(value)
  })
}

/** Query string from defined, non-empty values only. */
export function queryString(query: Record<string, string | number | boolean | undefined> = {}): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") search.set(key, String(value))
  const text = search.toString()
  return text ? `?${text}` : ""
}
