// Who operates each kiosk NOW, for deciding what an operator may receive: read from the edge's kiosk states (the
// process's one fold of KIOSKS, commands/kiosk/kioskStates.ts), which also hands the live feed its KIOSKS messages,
// so ownership has moved before the message that moved it is forwarded, and no check costs a query.
import type { KioskState, KioskStatesShape } from "../../commands/index.ts"

export interface KioskOwner {
  /** The operator the kiosk is assigned to, or null (unassigned, decommissioned, unknown kiosk). */
  readonly operatorId: string | null
}

export type OwnerSource = Pick<KioskStatesShape, "folded" | "latest" | "onChange">

const operatorOf = (state: KioskState) => (state.status === "none" ? null : state.operatorId)

export type OwnerChange = (kioskId: string, operatorId: string | null) => void

export class KioskOwners {
  private readonly states: OwnerSource

  constructor(states: OwnerSource) {
    this.states = states
  }

  /** Called when a kiosk's operator changes; returns how to stop. */
  onChange(listener: OwnerChange): () => void {
    return this.states.onChange((kioskId, after, before) => {
      const operatorId = operatorOf(after)
      if (operatorId !== operatorOf(before)) listener(kioskId, operatorId)
    })
  }

  /** The owner as the kiosk states have it now, without waiting (undefined: they are not rebuilt yet). */
  peek(kioskId: string): KioskOwner | undefined {
    const state = this.states.folded(kioskId)
    return state === undefined ? undefined : { operatorId: operatorOf(state) }
  }

  /** The owner as of at least now: a change acknowledged before the call is in the answer. */
  async resolve(kioskId: string): Promise<KioskOwner> {
    return { operatorId: operatorOf(await this.states.latest(kioskId)) }
  }
}
