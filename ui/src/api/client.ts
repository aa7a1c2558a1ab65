// The console's typed HTTP client: attaches the access token, renews it once on 401 (one refresh at a time for
// all callers), and hands the user back to the login page when the session cannot be renewed.
import { endpoints, fillPath, queryString, type EndpointName } from "./endpoints.ts"
import { ApiError, NetworkError, problemFrom } from "./problem.ts"
import type {
  DailySales, Kiosk, KioskChange, KioskQuery, KioskSummary, KioskUptime, NotificationMessage, NotificationStatus, Page, PageQuery, PredictQuery, Prediction,
  Recommendation, RecommendationQuery, AuditStatus, Reconciliation, ReconciliationQuery,
  Payment, PaymentChange, PaymentDetail, PaymentFilter, PaymentQuery, PaymentTotals, RegisteredKiosk, Role, RotatedCredential, SalesQuery, Session, User, UserQuery, Contact, Language,
} from "./types.ts"

export interface TokenStore {
  accessToken(): string | null
  refreshToken(): string | null
  save(session: { token: string; refreshToken?: string | undefined; user?: User | undefined }): void
  clear(): void
}

export interface ApiClientOptions {
  tokens: TokenStore
  /** Called when the session is gone for good (refresh refused): the app sends the user to /login?next=…. */
  onSessionExpired: () => void
  fetch?: typeof fetch
  /** "" for the same origin (production and the Vite proxy). */
  baseUrl?: string
}

interface Call {
  params?: Record<string, string>
  query?: object | undefined
  body?: unknown
  /** false for login and refresh themselves. */
  auth?: boolean
  headers?: Record<string, string>
}

export type ApiClient = ReturnType<typeof createApiClient>

const acrossTabs = <T>(task: () => Promise<T>): Promise<T> =>
  globalThis.navigator?.locks ? globalThis.navigator.locks.request("admin-kiosk.refresh", task) : task()

export function createApiClient(options: ApiClientOptions) {
  const { tokens } = options
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const baseUrl = options.baseUrl ?? ""
  let refreshing: Promise<boolean> | null = null

  async function attempt(name: EndpointName, call: Call, token: string | null): Promise<Response> {
    const { method, path } = endpoints[name]
    const headers: Record<string, string> = { accept: "application/json, application/problem+json", ...call.headers }
    if (token) headers.authorization = `Bearer ${token}`
    if (call.body !== undefined) headers["content-type"] = "application/json"
    const url = baseUrl + fillPath(path, call.params) + queryString(call.query as Record<string, string | number | boolean | undefined>)
    try {
      return await doFetch(url, { method, headers, body: call.body === undefined ? null : JSON.stringify(call.body) })
    } catch (cause) {
      throw new NetworkError(`${method} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    }
  }

  /**
   * true when renewed; false when the edge refused the refresh token; throws when the edge could not answer.
   * Refresh tokens rotate and a reused one ends the whole session, so one refresh runs at a time: in this tab
   * (shared promise) and across tabs (a Web Lock; the token is read inside it, after any other tab's rotation).
   */
  function refreshSession(): Promise<boolean> {
    refreshing ??= acrossTabs(async () => {
      const refreshToken = tokens.refreshToken()
      if (!refreshToken) return false
      const response = await attempt("refresh", { body: { refreshToken } }, null)
      if (response.ok) {
        tokens.save(await response.json() as Partial<Session> & { token: string })
        return true
      }
      if (response.status === 400 || response.status === 401 || response.status === 403) return false
      throw await problemFrom(response)
    }).finally(() => { refreshing = null })
    return refreshing
  }

  function expire() {
    tokens.clear()
    options.onSessionExpired()
  }

  async function send(name: EndpointName, call: Call = {}): Promise<Response> {
    const auth = call.auth ?? true
    const sentWith = auth ? tokens.accessToken() : null
    let response = await attempt(name, call, sentWith)
    if (response.status === 401 && auth) {
      // Another caller may have renewed the token while this request was out: then just retry with it.
      const current = tokens.accessToken()
      const renewed = (current !== null && current !== sentWith) || (await refreshSession())
      if (!renewed) {
        const error = await problemFrom(response)
        expire()
        throw error
      }
      response = await attempt(name, call, tokens.accessToken())
      if (response.status === 401) {
        const error = await problemFrom(response)
        expire()
        throw error
      }
    }
    if (!response.ok) throw await problemFrom(response)
    return response
  }

  async function json<T>(name: EndpointName, call?: Call): Promise<T> {
    const response = await send(name, call)
    return (response.status === 204 ? undefined : await response.json()) as T
  }

  /** A CSV file the edge streams (with the access token, so not a plain link), and the name it suggests. */
  async function csvFile(name: EndpointName, query: object, fallback: string): Promise<{ file: Blob; name: string }> {
    const response = await send(name, { query, headers: { accept: "text/csv, application/problem+json" } })
    const suggested = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? fallback
    return { file: await response.blob(), name: suggested }
  }

  return {
    refreshSession,
    /** A usable access token for the WebSocket: renewed first when `force` (the socket was refused) or missing. */
    async liveToken(force: boolean): Promise<string | null> {
      if (force || !tokens.accessToken()) {
        if (!(await refreshSession())) { expire(); return null }
      }
      return tokens.accessToken()
    },

    auth: {
      async login(username: string, password: string): Promise<Session> {
        const session = await json<Session>("login", { body: { username, password }, auth: false })
        tokens.save(session)
        return session
      },
      /** Public sign-up (an operator account); signs in at once, like login. */
      async register(account: { username: string; password: string; displayName?: string }): Promise<Session> {
        const contact = account.displayName ? { displayName: account.displayName } : undefined
        const session = await json<Session>("register", { body: { username: account.username, password: account.password, contact }, auth: false })
        tokens.save(session)
        return session
      },
      async logout(): Promise<void> {
        const refreshToken = tokens.refreshToken()
        try { if (refreshToken) await send("logout", { body: { refreshToken } }) } finally { tokens.clear() }
      },
      me: () => json<User>("me"),
      users: (query: UserQuery = {}) => json<Page<User>>("users", { query }),
      updateUser: (id: string, change: { role?: Role; contact?: Contact }) =>
        json<{ user: User; seq: number }>("updateUser", { params: { id }, body: change }),
      deactivateUser: (id: string) => json<{ user: User; seq: number } | undefined>("deactivateUser", { params: { id } }),
      addUser: (user: { username: string; role: Role; password: string; contact?: Partial<Contact> }) =>
        json<{ user: User; seq: number }>("addUser", { body: user }),
      /** An admin's reset of someone's forgotten password: every session of theirs ends. */
      resetPassword: (id: string, password: string) => json<{ user: User; seq: number }>("resetPassword", { params: { id }, body: { password } }),
      /** The caller's own contact and notification preferences. */
      updateMe: (contact: Partial<Contact>) => json<{ user: User; seq: number }>("updateMe", { body: { contact } }),
      /** The caller's own password: every session ends, this one continues with the new tokens answered. */
      async changePassword(current: string, next: string): Promise<void> {
        tokens.save(await json<Session>("changePassword", { body: { current_password: current, new_password: next } }))
      },
    },

    kiosks: {
      list: (query: KioskQuery = {}) => json<Page<Kiosk>>("kiosks", { query }),
      summary: () => json<KioskSummary>("kioskSummary"),
      get: (id: string, minSeq?: number) => json<Kiosk>("kiosk", { params: { id }, query: { min_seq: minSeq } }),
      register: (kiosk: { name: string; location: string }) => json<RegisteredKiosk>("registerKiosk", { body: kiosk }),
      update: (id: string, change: { name: string; location: string }) =>
        json<KioskChange>("updateKiosk", { params: { id }, body: change }),
      assign: (code: string) => json<KioskChange>("assignKiosk", { body: { code } }),
      unassign: (id: string) => json<KioskChange>("unassignKiosk", { params: { id } }),
      rotateCredential: (id: string) => json<RotatedCredential>("rotateCredential", { params: { id } }),
      /** The printable label, as SVG markup. */
      qrLabel: async (id: string) => (await send("kioskQr", { params: { id } })).text(),
      /** Offline periods and the share online over UTC days `from`…`to` (both included). */
      uptime: (id: string, query: { from: string; to: string; min_seq?: number | undefined }) =>
        json<KioskUptime>("kioskUptime", { params: { id }, query }),
    },

    payments: {
      list: (query: PaymentQuery = {}) => json<Page<Payment>>("payments", { query }),
      get: (id: string, minSeq?: number) => json<PaymentDetail>("payment", { params: { id }, query: { min_seq: minSeq } }),
      totals: (filter: PaymentFilter = {}) => json<{ items: PaymentTotals[] }>("paymentTotals", { query: filter }),
      /** Every payment the filter matches, as the CSV file the edge streams (its suggested file name too). */
      exportCsv: (filter: PaymentFilter = {}) => csvFile("exportPayments", filter, "payments.csv"),
      /** `idempotencyKey`: one per refund the admin means, so a retried request refunds once. */
      refund: (id: string, refund: { amount: number; reason: string }, idempotencyKey: string) =>
        json<PaymentChange>("refundPayment", { params: { id }, body: refund, headers: { "idempotency-key": idempotencyKey } }),
    },

    audit: {
      status: () => json<AuditStatus>("auditStatus"),
      reconciliation: (query: ReconciliationQuery = {}) => json<Reconciliation>("auditReconciliation", { query }),
      /** The replay of PAYMENTS itself over business days `from`…`to`, as the CSV file the edge streams. */
      replayCsv: (query: ReconciliationQuery = {}) => csvFile("auditReplay", { ...query, format: "csv" }, "payments-replay.csv"),
    },

    sales: {
      daily: (query: SalesQuery) => json<{ items: DailySales[] }>("dailySales", { query }),
    },

    ai: {
      /** 422 not-enough-history when no currency has the history a forecast needs; 503 while not fitted yet. */
      predict: (query: PredictQuery = {}) => json<Prediction>("predict", { query }),
      recommendations: (query: RecommendationQuery = {}) => json<Page<Recommendation>>("recommendations", { query }),
    },

    notifications: {
      list: (filter: { status?: NotificationStatus; provider?: string }, query: PageQuery = {}) =>
        json<Page<NotificationMessage>>("notifications", { query: { ...filter, ...query } }),
      retry: (id: string) => json<{ notificationId: string; seq: number }>("retryNotification", { params: { id } }),
      testEmail: (to: string, language: Language, idempotencyKey: string) =>
        json<{ notificationId: string; seq: number }>("testEmail", { body: { to, language }, headers: { "idempotency-key": idempotencyKey } }),
    },
  }
}

export { ApiError, NetworkError }
