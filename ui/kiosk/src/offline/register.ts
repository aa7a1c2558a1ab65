// Installs the service worker that keeps the app shell for offline use, in builds only (see vite.config.ts).
declare const __KIOSK_OFFLINE_SHELL__: boolean

export function registerServiceWorker(): void {
  if (!__KIOSK_OFFLINE_SHELL__ || !("serviceWorker" in navigator)) return
  void navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }).catch((error: unknown) => {
    console.warn("kiosk app: no offline shell (service worker not registered)", error)
  })
}
