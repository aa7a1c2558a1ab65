// What /metrics shows about the read side: how far behind each projection is, how fast it goes, and the alarm.
import { counter, gauge, histogram } from "../../platform/index.ts"

export const projectionMetrics = {
  checkpoint: gauge<"projection">("projection_checkpoint_sequence", "Last stream sequence the projection applied", ["projection"]),
  streamLast: gauge<"projection">("projection_stream_last_sequence", "Last sequence of the projection's stream", ["projection"]),
  lag: gauge<"projection">("projection_lag_events", "Stream's last sequence minus the projection's checkpoint", ["projection"]),
  applied: counter<"projection">("projection_events_applied_total", "Events applied to read models (rate() = throughput)", ["projection"]),
  batchSeconds: histogram<"projection">("projection_batch_duration_seconds", "Time to apply and commit one batch", ["projection"],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
  /** 1 while the stream's last sequence is below the checkpoint: events we applied and acknowledged are gone. */
  streamBehind: gauge<"projection">("projection_stream_behind_checkpoint",
    "1 when the stream's last sequence is below the projection's checkpoint (acknowledged events lost)", ["projection"]),
  /** Parked events still waiting for an operator's decision (retry or skip). */
  parked: gauge<"projection">("projection_parked_events", "Events parked (not applied, waiting for a retry or skip) per projection", ["projection"]),
  parkedTotal: counter<"projection">("projection_events_parked_total", "Events parked by live projectors and rebuilds", ["projection"]),
  rebuildApplied: counter<"projection">("projection_rebuild_events_total", "Events replayed into shadow tables by rebuilds", ["projection"]),
}
