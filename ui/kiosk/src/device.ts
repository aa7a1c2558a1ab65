// This device as a kiosk: the kiosk client library on IndexedDB (sales, queue and device token live there), plus
// what only the screen needs, kept in localStorage: the currency it sells in and its last pairing label.
import { type Accessor, createSignal } from "solid-js"
import {
  InvalidCredential, type KioskClient, type KioskStatus, openIndexedDbJournal, openKioskClient,
} from "../../../src/kiosk-client/browser.ts"

declare const __KIOSK_APP_VERSION__: string
export const APP_VERSION = typeof __KIOSK_APP_VERSION__ === "string" ? __KIOSK_APP_VERSION__ : "dev"

const CURRENCY_KEY = "admin-kiosk.kiosk.currency"
const LABEL_KEY = "admin-kiosk.kiosk.label"
const HEARTBEAT_EVERY_MS = 60_000

export interface Device {
  readonly client: KioskClient
  readonly status: Accessor<KioskStatus>
  /** What the browser says about the network; the status bar also counts the edge's own silence. */
  readonly online: Accessor<boolean>
  readonly currency: Accessor<string>
  setCurrency(code: string): void
  /** The pairing label (SVG markup), as last fetched. */
  readonly label: Accessor<string | null>
  /** Fetches the label again; keeps the old one when the edge cannot be reached. */
  refreshLabel(): Promise<void>
}

export const storedCurrency = () => localStorage.getItem(CURRENCY_KEY) ?? "EUR"
export const storeCurrency = (code: string) => localStorage.setItem(CURRENCY_KEY, code)
export const storeLabel = (svg: string) => localStorage.setItem(LABEL_KEY, svg)

/**
 * Opens the kiosk on this device; `deviceToken` on first run (or undefined to use the one already kept).
 * Resolves "needs-token" when there is none yet.
 */
export async function openDevice(deviceToken?: string): Promise<Device | "needs-token"> {
  let client: KioskClient
  try {
    client = await openKioskClient({
      baseUrl: "",
      store: await openIndexedDbJournal(),
      ...(deviceToken === undefined ? {} : { deviceToken }),
      appVersion: `kiosk-app ${APP_VERSION}`,
      heartbeatEveryMs: HEARTBEAT_EVERY_MS,
    })
  } catch (error) {
    if (deviceToken === undefined && error instanceof InvalidCredential) return "needs-token"
    throw error
  }
  const [status, setStatus] = createSignal(client.status())
  client.subscribe(setStatus)
  const [online, setOnline] = createSignal(navigator.onLine)
  window.addEventListener("online", () => {
    setOnline(true)
    // The browser says the network is back: don't wait out the back-off.
    client.retryNow()
  })
  window.addEventListener("offline", () => setOnline(false))
  const [currency, setCurrencySignal] = createSignal(storedCurrency())
  const [label, setLabel] = createSignal(localStorage.getItem(LABEL_KEY))
  return {
    client,
    status,
    online,
    currency,
    setCurrency(code) {
      storeCurrency(code)
      setCurrencySignal(code)
    },
    label,
    async refreshLabel() {
      const svg = await client.pairingLabel().catch(() => null)
      if (svg === null) return
      storeLabel(svg)
      setLabel(svg)
    },
  }
}

/**
 * One kiosk app per device: a second tab would run a second sender over the same queue. Resolves false when
 * another tab holds the kiosk; otherwise holds it until this page goes away.
 */
export function holdKiosk(): Promise<boolean> {
  const locks = navigator.locks
  if (locks === undefined) return Promise.resolve(true)
  return new Promise((resolve) => {
    void locks.request("admin-kiosk.kiosk-app", { ifAvailable: true }, (lock) => {
      resolve(lock !== null)
      return lock === null ? undefined : new Promise<void>(() => {})
    })
  })
}

/** The SVG label as an image source (img-src allows data: URLs; no markup is injected into the page). */
export const labelSource = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
