// The console lives under /console/ so its page paths (/console/kiosks) never collide with the API's (/kiosks)
// on the edge's single origin: a reload of any page asks for the page, not for JSON.
export const BASE_URL = import.meta.env.BASE_URL
/** The router's base: "/console". */
export const ROUTER_BASE = BASE_URL.replace(/\/$/, "")

/** "/console/kiosks" → "/kiosks": the path the router's links and navigate() take. */
export function appPath(pathname: string, base = ROUTER_BASE): string {
  if (!base || !pathname.startsWith(base)) return pathname
  return pathname.slice(base.length) || "/"
}
