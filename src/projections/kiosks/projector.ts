// KIOSKS → kiosks (code, name, location, assignee, status, credential version); TELEMETRY → kiosk_heartbeats.
// Two projections because two streams: each has its own consumer, checkpoint and rebuild.
import type { Transaction, UpdateObject } from "kysely"
import type { Database } from "../db.ts"
import { defineProjection, eventByEvent, flagIfClamped, ignoreUnknown, type RecordedEvent, type RecordedOf, timeClamped } from "../engine/projection.ts"

/** Changes one kiosk unless a later event already did (`<=`: the events of one commit share a sequence). */
async function change(trx: Transaction<Database>, event: RecordedEvent, kioskId: string,
  set: UpdateObject<Database, "kiosks">, onlyIfActive = false) {
  let update = trx.updateTable("kiosks").set({ ...set, updated_at: event.time, last_seq: event.seq, ...flagIfClamped(event) })
    .where("kiosk_id", "=", kioskId).where("last_seq", "<=", event.seq)
  if (onlyIfActive) update = update.where("status", "!=", "decommissioned")
  await update.execute()
}

export const kiosksProjection = defineProjection({
  name: "kiosks",
  stream: "KIOSKS",
  tables: ["kiosks"],
  apply: eventByEvent("KIOSKS", async (trx, event) => {
    switch (event.type) {
      case "KioskRegistered": {
        const { data } = event
        await trx.insertInto("kiosks").values({
          kiosk_id: data.kioskId, code: data.code, name: data.name, location: data.location, assignee_id: null,
          status: "unknown", last_seen_at: null, credential_version: 1,
          registered_at: event.time, updated_at: event.time, last_seq: event.seq, time_clamped: timeClamped(event),
        }).onConflict((oc) => oc.column("kiosk_id").doNothing()).execute()
        return
      }
      case "KioskRenamed":
        return change(trx, event, event.data.kioskId, { name: event.data.name, location: event.data.location })
      case "KioskAssigned":
        return change(trx, event, event.data.kioskId, { assignee_id: event.data.operatorId })
      case "KioskUnassigned":
        return change(trx, event, event.data.kioskId, { assignee_id: null })
      case "KioskCredentialRotated":
        return change(trx, event, event.data.kioskId, { credential_version: event.data.credentialVersion })
      case "KioskWentOffline":
        return change(trx, event, event.data.kioskId, {
          status: "offline",
          ...(event.data.lastSeenAt === null ? {} : { last_seen_at: event.data.lastSeenAt }),
        }, true)
      case "KioskCameOnline":
        return change(trx, event, event.data.kioskId, { status: "online", last_seen_at: event.data.at }, true)
      case "KioskDecommissioned":
        return change(trx, event, event.data.kioskId, { status: "decommissioned", assignee_id: null })
      default:
        return ignoreUnknown(event)
    }
  }),
})

/** Only the newest heartbeat of each kiosk in a batch matters: one upsert per batch, not one per heartbeat. */
export const kioskHeartbeatsProjection = defineProjection({
  name: "kiosk_heartbeats",
  stream: "TELEMETRY",
  tables: ["kiosk_heartbeats"],
  async apply(trx, events) {
    const latest = new Map<string, RecordedOf<"KioskHeartbeat">>()
    for (const event of events) if (event.type === "KioskHeartbeat") latest.set(event.data.kioskId, event)
    if (latest.size === 0) return
    // "Last seen" is when we received it (the envelope's time), not the kiosk's own clock.
    const rows = [...latest.values()].map((e) => ({
      kiosk_id: e.data.kioskId, last_seen_at: e.time, app_version: e.data.appVersion, device_status: e.data.status, last_seq: e.seq,
      time_clamped: timeClamped(e),
    }))
    await trx.insertInto("kiosk_heartbeats").values(rows)
      .onConflict((oc) => oc.column("kiosk_id").doUpdateSet((eb) => ({
        last_seen_at: eb.ref("excluded.last_seen_at"),
        app_version: eb.ref("excluded.app_version"),
        device_status: eb.ref("excluded.device_status"),
        last_seq: eb.ref("excluded.last_seq"),
        time_clamped: eb.ref("excluded.time_clamped"),
      })).where("kiosk_heartbeats.last_seq", "<=", (eb) => eb.ref("excluded.last_seq")))
      .execute()
  },
})
