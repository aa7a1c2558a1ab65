// Messages published straight into a stream with the NATS client, past the edge and the write side: how a test
// puts into the log what an older write side (or anything else) may have left there.
import { newId } from "../../../src/platform/index.ts"
import type { ReadFixture } from "./fixture.ts"

/** A commit as the event store writes one (eventStore/codec.ts), holding whatever values the test needs. */
export function commitBody(events: ReadonlyArray<{ readonly type: string; readonly data: unknown }>, time = new Date().toISOString()): string {
  return JSON.stringify({
    id: newId("cmt"), time, actor: { kind: "system", name: "injected" }, correlationId: newId("cor"),
    events: events.map((e) => ({ ...e, version: 1 })),
  })
}

/** Publishes a body on a subject of the fixture's streams; answers its stream sequence. */
export async function inject(f: Pick<ReadFixture, "nats">, subject: string, body: string): Promise<number> {
  return (await f.nats.js.publish(subject, body, { msgID: newId("msg") })).seq
}
