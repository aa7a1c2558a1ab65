// KIOSKS → kiosks (code, name, location, assignee, status, credential version); TELEMETRY → kiosk_heartbeats.
// Two projections because two streams: each has its own consumer, checkpoint and rebuild.
import type { Selectable, Transaction } from "kysely"
import { evolveKiosk, initialKioskState, type KioskState } from "../../commands/index.ts"
import type { Database, KiosksTable } from "../db.ts"
import { defineProjection, eventByEvent, type EventOnStream, flagIfClamped, type RecordedOf, timeClamped } from "../engine/projection.ts"

/** A row of the kiosks table as stored (what the queries list adds the operator's name to). */
type StoredKiosk = Selectable<KiosksTable>
type Existing = Exclude<KioskState, { status: "none" }>

/** The row's kiosk facts, as the one kiosk fold (commands' evolveKiosk) has them: no rule of our own per event. */
const factsOf = (state: Existing) => ({
  code: state.code,
  name: state.name,
  location: state.location,
  assignee_id: state.operatorId,
  status: state.status === "decommissioned" ? "decommissioned" as const : state.connectivity,
  credential_version: state.credentialVersion,
})

/**
 * The kiosk a row holds, for the fold to go on from. The credential hash and the pairing version are not kept in
 * the read model; no fact of the row depends on them.
 */
const stateOf = (row: StoredKiosk): Existing => ({
  status: row.status === "decommissioned" ? "decommissioned" : "active",
  kioskId: row.kiosk_id,
  code: row.code,
  name: row.name,
  location: row.location,
  credentialHash: "",
  credentialVersion: row.credential_version,
  operatorId: row.assignee_id,
  pairingVersion: 0,
  connectivity: row.status === "decommissioned" ? "unknown" : row.status,
})

/** Read-model only: when the kiosk was last seen, if the event says. */
function lastSeen(event: RecordedOf<"KioskWentOffline" | "KioskCameOnline">): { last_seen_at?: string } {
  if (event.type === "KioskCameOnline") return { last_seen_at: event.data.at }
  return event.data.lastSeenAt === null ? {} : { last_seen_at: event.data.lastSeenAt }
}

type Kiosk = EventOnStream<"KIOSKS">

/** Changes one kiosk unless a later event already did (`<=`: the events of one commit share a sequence). */
async function change(trx: Transaction<Database>, event: Kiosk) {
  const row = await trx.selectFrom("kiosks").selectAll().where("kiosk_id", "=", event.data.kioskId).executeTakeFirst()
  if (row === undefined || row.last_seq > event.seq) return
  const connectivity = event.type === "KioskWentOffline" || event.type === "KioskCameOnline"
  // A decommissioned kiosk's row no longer moves when it is seen or lost.
  if (connectivity && row.status === "decommissioned") return
  const next = evolveKiosk(stateOf(row), event)
  if (next.status === "none") return
  await trx.updateTable("kiosks")
    .set({ ...factsOf(next), ...(connectivity ? lastSeen(event) : {}), updated_at: event.time, last_seq: event.seq, ...flagIfClamped(event) })
    .where("kiosk_id", "=", row.kiosk_id).where("last_seq", "<=", event.seq)
    .execute()
}

export const kiosksProjection = defineProjection({
  name: "kiosks",
  stream: "KIOSKS",
  tables: ["kiosks"],
  apply: eventByEvent("KIOSKS", async (trx, event) => {
    if (event.type !== "KioskRegistered") return change(trx, event)
    // A registration makes the row; a row already there (the same event again) stays as it is.
    const registered = evolveKiosk(initialKioskState(), event)
    if (registered.status === "none") return
    await trx.insertInto("kiosks").values({
      kiosk_id: registered.kioskId, ...factsOf(registered), last_seen_at: null,
      registered_at: event.time, updated_at: event.time, last_seq: event.seq, time_clamped: timeClamped(event),
    }).onConflict((oc) => oc.column("kiosk_id").doNothing()).execute()
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
