// What the rules need to know about people and kiosks, behind one small service so the notifier never depends on a
// table's shape. `fromStore` reads users and kiosks from their aggregates (always current, cheap: one subject each)
// and admins from whatever lists them (the users read model).
import { Context, Effect } from "effect"
import type { Language, NotificationPreferences } from "../../commands/index.ts"

export interface Recipient {
  readonly userId: string
  readonly language: Language
  readonly email: string | null
  readonly phone: string | null
  readonly preferences: NotificationPreferences
  /** FCM registration tokens of the user's devices. */
  readonly pushTokens: ReadonlyArray<string>
}

export interface KioskFacts {
  readonly kioskId: string
  readonly name: string
  readonly operatorId: string | null
}

export interface RecipientsShape {
  /** An active user, or undefined (unknown or deactivated: nobody to notify). */
  readonly user: (userId: string) => Effect.Effect<Recipient | undefined, RecipientsUnavailable>
  readonly admins: () => Effect.Effect<ReadonlyArray<Recipient>, RecipientsUnavailable>
  readonly kiosk: (kioskId: string) => Effect.Effect<KioskFacts | undefined, RecipientsUnavailable>
  /** Whether the kiosk's last connectivity event before stream sequence `seq` was KioskWentOffline. */
  readonly wasOffline: (kioskId: string, beforeSeq: number) => Effect.Effect<boolean, RecipientsUnavailable>
}

export class RecipientsUnavailable extends Error {
  override readonly name = "RecipientsUnavailable"
}

export class Recipients extends Context.Service<Recipients, RecipientsShape>()("admin-kiosk/workers/notifier/Recipients") {}
