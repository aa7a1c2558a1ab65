// The console's services, made once at start and handed to every page: API client, session, live socket.
import { createContext, createEffect, createSignal, useContext, type JSX } from "solid-js"
import { createApiClient, type ApiClient } from "../api/client.ts"
import { ApiError, NetworkError } from "../api/problem.ts"
import { createSessionStore, type SessionStore } from "../auth/session.ts"
import { createLiveSocket, type LiveSocket } from "../live/socket.ts"
import { appPath, ROUTER_BASE } from "./base.ts"

export interface App {
  api: ApiClient
  session: SessionStore
  live: LiveSocket
  /** false while the edge cannot be reached (the console then shows the cached session and says so). */
  reachable: () => boolean
  /** Set by the router's root so an expired session goes to /login?next=… without a page load. */
  setSessionExpiredHandler(handler: () => void): void
}

const AppContext = createContext<App>()

export function useApp(): App {
  const app = useContext(AppContext)
  if (!app) throw new Error("useApp outside <AppProvider>")
  return app
}

const wsUrl = () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`

/** The login page, remembering `path` (router-relative, e.g. "/kiosks?status=offline") to come back to. */
export function loginPathFor(path: string, expired = false) {
  const query = new URLSearchParams()
  if (!path.startsWith("/login") && path !== "/") query.set("next", path)
  if (expired) query.set("expired", "1")
  const search = query.toString()
  return search ? `/login?${search}` : "/login"
}

export function createApp(): App {
  const session = createSessionStore(localStorage)
  const [reachable, setReachable] = createSignal(true)
  let onSessionExpired = () => location.assign(ROUTER_BASE + loginPathFor(appPath(location.pathname) + location.search, true))
  const api = createApiClient({ tokens: session.tokens, onSessionExpired: () => onSessionExpired() })
  const live = createLiveSocket({ url: wsUrl(), token: (force) => api.liveToken(force) })

  // A reload keeps only the refresh token: renew the access token now, quietly. If the edge is down, keep the
  // cached user on screen and try again shortly.
  let retry: ReturnType<typeof setTimeout> | undefined
  const restore = async () => {
    if (!session.tokens.refreshToken() || session.tokens.accessToken()) return
    try {
      if (!(await api.refreshSession())) {
        session.tokens.clear()
        onSessionExpired()
        return
      }
      if (!session.user()) session.setUser(await api.auth.me())
      setReachable(true)
    } catch (error) {
      if (error instanceof NetworkError || (error instanceof ApiError && error.status >= 500)) {
        setReachable(false)
        retry = setTimeout(() => void restore(), 5_000)
      } else throw error
    }
  }
  void restore()

  createEffect(() => (session.user() ? live.connect() : live.close()))

  return {
    api, session, live, reachable,
    setSessionExpiredHandler(handler) {
      onSessionExpired = () => { clearTimeout(retry); handler() }
    },
  }
}

export function AppProvider(props: { app: App; children: JSX.Element }) {
  return <AppContext.Provider value={props.app}>{props.children}</AppContext.Provider>
}
