// Where the session lives: the access token only in memory, the refresh token and the signed-in user in
// localStorage, so a reload renews the session silently and can show the console while the edge answers.
import { createSignal } from "solid-js"
import type { TokenStore } from "../api/client.ts"
import type { User } from "../api/types.ts"

const REFRESH_KEY = "admin-kiosk.refreshToken"
const USER_KEY = "admin-kiosk.user"

function cachedUser(storage: Storage): User | null {
  try {
    const user = JSON.parse(storage.getItem(USER_KEY) ?? "null") as User | null
    return user && typeof user.id === "string" && typeof user.role === "string" ? user : null
  } catch {
    return null
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>

export function createSessionStore(storage: Storage) {
  let access: string | null = null
  const [user, setUser] = createSignal<User | null>(storage.getItem(REFRESH_KEY) ? cachedUser(storage) : null)
  const tokens: TokenStore = {
    accessToken: () => access,
    refreshToken: () => storage.getItem(REFRESH_KEY),
    save(session) {
      access = session.token
      if (session.refreshToken) storage.setItem(REFRESH_KEY, session.refreshToken)
      if (session.user) {
        storage.setItem(USER_KEY, JSON.stringify(session.user))
        setUser(session.user)
      }
    },
    clear() {
      access = null
      storage.removeItem(REFRESH_KEY)
      storage.removeItem(USER_KEY)
      setUser(null)
    },
  }
  return {
    tokens,
    user,
    setUser(next: User) {
      storage.setItem(USER_KEY, JSON.stringify(next))
      setUser(next)
    },
  }
}
