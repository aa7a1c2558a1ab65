// The kiosk app's service worker (/kiosk/sw.js, scope /kiosk/): keeps the app shell — every file of the build —
// in a cache, so the page opens and reloads with no network. Pages are fetched network-first (a new build
// reaches the kiosk when it is online) and fall back to the cached shell; build files are served from the cache.
// The API (/payments, /kiosks/…) is outside the scope's paths and never touched: the client library sends it.

// Filled in at build time by the kiosk-shell plugin (build/shell.ts) with this build's files and version.
declare const __KIOSK_SHELL__: { readonly version: string; readonly files: ReadonlyArray<string> }

// The few service-worker types used here (the DOM library the UI compiles with has no WebWorker scope).
interface ExtendableEvent extends Event { waitUntil(work: Promise<unknown>): void }
interface FetchEvent extends ExtendableEvent { readonly request: Request; respondWith(response: Promise<Response>): void }
interface WorkerScope {
  readonly registration: { readonly scope: string }
  skipWaiting(): Promise<void>
  readonly clients: { claim(): Promise<void> }
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void
}

const worker = self as unknown as WorkerScope
const shell = __KIOSK_SHELL__
const CACHE = `kiosk-shell-${shell.version}`
const scope = new URL(worker.registration.scope)
const page = new URL("./", scope).href
/** How long a page request may take before the cached shell answers instead (a flaky link is worse than none). */
const PAGE_TIMEOUT_MS = 3_000

worker.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE)
    await cache.addAll([page, ...shell.files.map((file) => new URL(file, scope).href)])
    await worker.skipWaiting()
  })())
})

worker.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith("kiosk-shell-") && name !== CACHE) await caches.delete(name)
    await worker.clients.claim()
  })())
})

async function pageFirstFromNetwork(request: Request): Promise<Response> {
  try {
    // A navigation request cannot be re-made with an AbortSignal, so the timeout races it instead.
    const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("slow network")), PAGE_TIMEOUT_MS))
    const response = await Promise.race([fetch(request), late])
    if (response.ok) return response
    throw new Error(`HTTP ${response.status}`)
  } catch {
    const cached = await caches.match(page)
    if (cached) return cached
    throw new Error("offline, and the kiosk app is not cached yet")
  }
}

async function fileFromCache(request: Request): Promise<Response> {
  const cached = await caches.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) await (await caches.open(CACHE)).put(request, response.clone())
  return response
}

worker.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url)
  if (event.request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return
  if (event.request.mode === "navigate") event.respondWith(pageFirstFromNetwork(event.request))
  else event.respondWith(fileFromCache(event.request))
})

export {}
