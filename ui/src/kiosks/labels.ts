// Kiosk names and codes for things that carry only a kiosk id (live events): each kiosk is read once, then kept
// for the page's lifetime; until it arrives the id stands in.
import { createSignal } from "solid-js"
import type { ApiClient } from "../api/client.ts"

export interface KioskName { readonly code: string | null; readonly name: string | null }

export function createKioskLabels(api: ApiClient) {
  const [known, setKnown] = createSignal<ReadonlyMap<string, KioskName>>(new Map())
  const asked = new Set<string>()
  const remember = (id: string, label: KioskName) => setKnown((map) => new Map(map).set(id, label))
  return {
    /** Tells the cache what a list already said about a kiosk. */
    remember,
    labelOf(id: string): KioskName {
      const label = known().get(id)
      if (label) return label
      if (!asked.has(id)) {
        asked.add(id)
        api.kiosks.get(id).then((kiosk) => remember(id, { code: kiosk.code, name: kiosk.name }), () => undefined)
      }
      return { code: null, name: null }
    },
  }
}
