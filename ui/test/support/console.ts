// Builds the console and serves the built files with Vite's preview server (the same proxy as in development).
import { resolve } from "node:path"
import { build, preview, type PreviewServer } from "vite"

const root = resolve(import.meta.dirname, "../..")

/** `edgeUrl`: where /auth, /kiosks, /ws… are proxied to (the real edge, once a test starts one). */
export async function serveBuiltConsole(edgeUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  process.env.EDGE_URL = edgeUrl
  const configFile = resolve(root, "vite.config.ts")
  await build({ root, configFile, logLevel: "warn" })
  // Quiet: a test without an edge makes the proxy log every refused connection.
  const server: PreviewServer = await preview({ root, configFile, logLevel: "silent", preview: { host: "127.0.0.1", port: 0, strictPort: false } })
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, "")
  if (!url) throw new Error("preview server has no local URL")
  return { url, close: () => server.close() }
}
