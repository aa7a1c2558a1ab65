// KIOSKS → kiosk_offline_periods: every stretch a kiosk was offline, from its last heartbeat before the offline
// detector gave up on it to the heartbeat that brought it back. The kiosks table keeps only the current status and
// TELEMETRY keeps heartbeats briefly, so this is where "was it offline on 3 March?" is answered for good.
import { defineProjection, eventByEvent, flagIfClamped, timeClamped } from "../engine/projection.ts"

export const offlinePeriodsProjection = defineProjection({
  name: "kiosk_offline_periods",
  stream: "KIOSKS",
  tables: ["kiosk_offline_periods"],
  apply: eventByEvent("KIOSKS", async (trx, event) => {
    if (event.type === "KioskWentOffline") {
      // Never seen at all: offline from when the detector said so.
      await trx.insertInto("kiosk_offline_periods").values({
        kiosk_id: event.data.kioskId, went_offline_seq: event.seq, offline_from: event.data.lastSeenAt ?? event.time, back_at: null,
        time_clamped: timeClamped(event),
      }).onConflict((oc) => oc.columns(["kiosk_id", "went_offline_seq"]).doNothing()).execute()
    } else if (event.type === "KioskCameOnline") {
      // Closes the open period that came before it; applied again, it finds none open and changes nothing.
      await trx.updateTable("kiosk_offline_periods")
        .set((eb) => ({ back_at: eb.fn("greatest", [eb.val(event.data.at), eb.ref("offline_from")]), ...flagIfClamped(event) }))
        .where("kiosk_id", "=", event.data.kioskId).where("back_at", "is", null).where("went_offline_seq", "<", event.seq)
        .execute()
    }
  }),
})
