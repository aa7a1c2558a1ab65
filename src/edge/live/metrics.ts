// What /metrics shows of the live feed: open sockets, subscriptions, forwarded frames, why sockets closed, and how
// old events are when this edge fans them out.
import { counter, gauge, histogram } from "../../platform/index.ts"

export const liveMetrics = {
  connections: gauge("ws_connections", "Open /ws connections on this edge (authenticated or not yet)"),
  subscriptions: gauge("ws_subscriptions", "Active /ws subscriptions by topic kind", ["topic"]),
  forwarded: counter("ws_forwarded_messages_total", "Event frames sent to /ws clients, by topic kind and source (live, replay)", ["topic", "source"]),
  slowConsumers: counter("ws_slow_consumer_disconnects_total", "/ws clients cut off because their outgoing buffer overflowed (close 4408)"),
  disconnects: counter("ws_disconnects_total", "/ws connections closed, by reason", ["reason"]),
  eventAge: histogram(
    "ws_event_age_seconds",
    "Time from an event's recording to this edge's fan-out, by stream",
    ["stream"],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  ),
}
