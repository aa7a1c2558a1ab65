// Recipients from the write side's aggregates (a user's contact and devices, a kiosk's name and operator: always
// current, one subject each), plus a list of admin ids from the users read model.
import { Effect, Layer } from "effect"
import { EventStore, loadKioskState, loadUserState } from "../../commands/index.ts"
import { type Recipient, Recipients, RecipientsUnavailable } from "./recipients.ts"

export type AdminIds = () => Effect.Effect<ReadonlyArray<string>, RecipientsUnavailable>

const unavailable = (what: string) => (error: unknown) =>
  new RecipientsUnavailable(`${what}: ${error instanceof Error ? error.message : String(error)}`)

export const recipientsLayer = (adminIds: AdminIds) =>
  Layer.effect(
    Recipients,
    Effect.gen(function* () {
      const store = yield* EventStore
      const withStore = <A, E>(effect: Effect.Effect<A, E, EventStore>) => Effect.provideService(effect, EventStore, store)

      const user = (userId: string) =>
        withStore(loadUserState(userId)).pipe(
          Effect.map((state): Recipient | undefined =>
            state.status !== "active" ? undefined : {
              userId: state.userId,
              language: state.contact.language,
              email: state.contact.email,
              phone: state.contact.phone,
              preferences: state.contact.preferences,
              pushTokens: state.pushDevices,
            }),
          Effect.mapError(unavailable(`user ${userId}`)),
        )

      const kiosk = (kioskId: string) =>
        withStore(loadKioskState(kioskId)).pipe(
          Effect.map((state) => (state.status === "none" ? undefined : { kioskId, name: state.name, operatorId: state.operatorId })),
          Effect.mapError(unavailable(`kiosk ${kioskId}`)),
        )

      const admins = () =>
        adminIds().pipe(
          Effect.flatMap((ids) => Effect.forEach(ids, user, { concurrency: 8 })),
          Effect.map((found) => found.filter((r): r is Recipient => r !== undefined)),
        )

      return Recipients.of({ user, kiosk, admins })
    }),
  )
