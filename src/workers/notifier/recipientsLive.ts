// Recipients: a user's contact and devices and a kiosk's name and operator from their aggregates (always current,
// one subject each); the admins from the users read model (the only place that lists people by role).
import { Effect, Layer } from "effect"
import { EventStore, foldKiosk, initialKioskState, isKioskEvent, loadKioskState, loadUserState } from "../../commands/index.ts"
import { Db, listUsers, type UserRow } from "../../projections/index.ts"
import { type Recipient, Recipients, RecipientsUnavailable } from "./recipients.ts"

const unavailable = (what: string) => (error: unknown) =>
  new RecipientsUnavailable(`${what}: ${error instanceof Error ? error.message : String(error)}`)

const fromReadModel = (row: UserRow): Recipient => ({
  userId: row.user_id, language: row.language, email: row.email, phone: row.phone, preferences: row.preferences, pushTokens: row.push_tokens,
})

/** Recipients over the event store and the read models' pool it is given. */
export const makeRecipients = Effect.gen(function* () {
    const store = yield* EventStore
    const db = yield* Db
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
      Effect.gen(function* () {
        const found: Array<Recipient> = []
        for (let cursor: string | undefined; ;) {
          const page = yield* listUsers({ role: "admin", active: true, limit: 200, cursor })
          found.push(...page.items.map(fromReadModel))
          if (page.next_cursor === null) return found as ReadonlyArray<Recipient>
          cursor = page.next_cursor
        }
      }).pipe(Effect.provideService(Db, db), Effect.mapError(unavailable("admins")))

    // The kiosk's state (the one kiosk fold) just before the event, from its own subject: kiosk histories are short
    // (offline/online flips, renames).
    const wasOffline = (kioskId: string, beforeSeq: number) =>
      Effect.tryPromise({
        try: async () => {
          let state = initialKioskState()
          for await (const commit of store.replay("KIOSKS", { subject: store.naming.subject.kiosk(kioskId), untilEnd: true })) {
            if (commit.seq >= beforeSeq) break
            state = foldKiosk(commit.recorded.flatMap((e) => (isKioskEvent(e) ? [e] : [])), state)
          }
          return state.status !== "none" && state.connectivity === "offline"
        },
        catch: unavailable(`kiosk ${kioskId} history`),
      })

    return Recipients.of({ user, kiosk, admins, wasOffline })
})

export const recipientsLayer = Layer.effect(Recipients, makeRecipients)
