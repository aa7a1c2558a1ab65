// The built kiosk app (ui/kiosk/dist) under /kiosk/: the installable, offline-capable page a kiosk sells from.
// Its service worker (/kiosk/sw.js, scope /kiosk/) is served with no-cache, so a new build reaches kiosks.
import { resolve } from "node:path"
import type { FastifyInstance } from "fastify"
import { builtAppPlugin } from "./builtApp.ts"

export const KIOSK_APP_PREFIX = "/kiosk"
/** Where `npm run build:ui` writes the kiosk app. */
export const DEFAULT_KIOSK_APP_DIR = resolve(import.meta.dirname, "../../../ui/kiosk/dist")

export async function kioskAppPlugin(app: FastifyInstance, options: { readonly dir: string }) {
  await builtAppPlugin(app, { prefix: KIOSK_APP_PREFIX, dir: options.dir, name: "kiosk app" })
}
