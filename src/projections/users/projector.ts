// USERS → users (role, contact, preferences, active) and their push devices. Password hashes are never copied.
import type { Transaction, UpdateObject } from "kysely"
import type { Database } from "../db.ts"
import { defineProjection, eventByEvent, flagIfClamped, ignoreUnknown, type RecordedEvent, timeClamped } from "../engine/projection.ts"
import type { Contact } from "../../commands/index.ts"

const contactColumns = (contact: Contact) => ({
  display_name: contact.displayName,
  email: contact.email,
  phone: contact.phone,
  language: contact.language,
  preferences: contact.preferences,
})

/** Changes one user unless a later event already did (`<=`: the events of one commit share a sequence). */
async function change(trx: Transaction<Database>, event: RecordedEvent, userId: string, set: UpdateObject<Database, "users">) {
  await trx.updateTable("users").set({ ...set, updated_at: event.time, last_seq: event.seq, ...flagIfClamped(event) })
    .where("user_id", "=", userId).where("last_seq", "<=", event.seq).execute()
}

export const usersProjection = defineProjection({
  name: "users",
  stream: "USERS",
  tables: ["users", "user_push_devices"],
  apply: eventByEvent("USERS", async (trx, event) => {
    switch (event.type) {
      case "UserRegistered": {
        const { data } = event
        await trx.insertInto("users").values({
          user_id: data.userId, username: data.username, role: data.role, ...contactColumns(data.contact), active: true,
          registered_at: event.time, updated_at: event.time, last_seq: event.seq, time_clamped: timeClamped(event),
        }).onConflict((oc) => oc.column("user_id").doNothing()).execute()
        return
      }
      case "UserRoleChanged":
        return change(trx, event, event.data.userId, { role: event.data.role })
      case "UserContactChanged":
        return change(trx, event, event.data.userId, contactColumns(event.data.contact))
      case "UserDeactivated":
        return change(trx, event, event.data.userId, { active: false })
      case "UserPushDeviceAdded":
        await trx.insertInto("user_push_devices")
          .values({ user_id: event.data.userId, device_token: event.data.deviceToken, added_at: event.time, time_clamped: timeClamped(event) })
          .onConflict((oc) => oc.columns(["user_id", "device_token"]).doNothing()).execute()
        return
      case "UserPushDeviceRemoved":
        await trx.deleteFrom("user_push_devices")
          .where("user_id", "=", event.data.userId).where("device_token", "=", event.data.deviceToken).execute()
        return
      case "UserPasswordChanged":
      case "UserPasswordReset":
        return // the read side keeps no credentials
      default:
        return ignoreUnknown(event)
    }
  }),
})
