// Builds the console (and the kiosk app) and serves the built files with Vite's preview server (the same proxy as in development).
import { resolve } from "node:path"
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core"
import { build, preview, type PreviewServer } from "vite"
import { launchChromium } from "./browser.ts"

const root = resolve(import.meta.dirname, "../..")

/** Builds the console into ui/dist, where the edge serves it from under /console/ (src/edge/http/console.ts). */
export async function buildConsole(): Promise<void> {
  await build({ root, configFile: resolve(root, "vite.config.ts"), logLevel: "warn" })
}

/** Builds the kiosk app into ui/kiosk/dist, where the edge serves it from under /kiosk/ (src/edge/http/kioskApp.ts). */
export async function buildKioskApp(): Promise<void> {
  const kiosk = resolve(root, "kiosk")
  await build({ root: kiosk, configFile: resolve(kiosk, "vite.config.ts"), logLevel: "warn" })
}

/** `edgeUrl`: where /auth, /kiosks, /ws… are proxied to (the real edge, once a test starts one). */
export async function serveBuiltConsole(edgeUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const previous = process.env.EDGE_URL
  process.env.EDGE_URL = edgeUrl // read by vite.config.ts while loading
  const configFile = resolve(root, "vite.config.ts")
  let server: PreviewServer
  try {
    await build({ root, configFile, logLevel: "warn" })
    // Quiet: a test without an edge makes the proxy log every refused connection.
    server = await preview({ root, configFile, logLevel: "silent", preview: { host: "127.0.0.1", port: 0, strictPort: false } })
  } finally {
    if (previous === undefined) delete process.env.EDGE_URL
    else process.env.EDGE_URL = previous
  }
  const local = server.resolvedUrls?.local[0]
  if (!local) throw new Error("preview server has no local URL")
  // The origin: pages are under /console/, the API at the root.
  return { url: new URL(local).origin, close: () => server.close() }
}

/** The built console against an edge, and one Chromium whose page contexts all close with it. */
export interface ConsoleUnderTest {
  /** The console's origin (pages under /console/, the API proxied at the root). */
  readonly url: string
  /** A page in a fresh context (no session yet): desktop size and British English unless told otherwise. */
  newPage(options?: BrowserContextOptions): Promise<Page>
  close(): Promise<void>
}

export async function openConsole(edgeUrl: string): Promise<ConsoleUnderTest> {
  const server = await serveBuiltConsole(edgeUrl)
  const browser = await launchChromium()
  const contexts: Array<BrowserContext> = []
  return {
    url: server.url,
    async newPage(options) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", ...options })
      contexts.push(context)
      return context.newPage()
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined)
      await browser.close()
      await server.close()
    },
  }
}
