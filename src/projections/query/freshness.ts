// Read-your-writes: a command's result carries its event's stream sequence; a query given that sequence waits,
// briefly, until the projection has applied it.
import { Effect, Option } from "effect"
import type { Kysely } from "kysely"
import { Invalid } from "../../commands/index.ts"
import { projectionNamed } from "../catalogue.ts"
import { type Database, Db, tryDb } from "../db.ts"
import { readCheckpoint } from "../engine/checkpoints.ts"
import { NotReady } from "../errors.ts"
import { StreamEnds } from "./streamEnds.ts"

/** How long a query waits for its projection before answering NotReady. A batch normally lands within ~50 ms. */
export const DEFAULT_WAIT_MS = 3_000

/** Polls the checkpoint with a short, growing interval; resolves with the last checkpoint seen. */
export async function waitForCheckpoint(db: Kysely<Database>, projection: string, minSeq: number, timeoutMs = DEFAULT_WAIT_MS): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (let interval = 5; ; interval = Math.min(interval * 2, 50)) {
    const reached = await readCheckpoint(db, projection)
    if (reached >= minSeq || Date.now() >= deadline) return reached
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(1, deadline - Date.now()))))
  }
}

/** Succeeds once `projection` has applied `minSeq` (at once when no minimum is asked); else fails with NotReady. */
export const awaitProjection = Effect.fn("projections.awaitProjection")(function* (
  projection: string,
  minSeq: number | undefined,
  timeoutMs: number = DEFAULT_WAIT_MS,
) {
  if (minSeq === undefined || minSeq <= 0) return
  const { db } = yield* Db
  if ((yield* tryDb(() => readCheckpoint(db, projection))) >= minSeq) return
  yield* refuseBeyondStreamEnd(projection, minSeq)
  const reached = yield* tryDb(() => waitForCheckpoint(db, projection, minSeq, timeoutMs))
  if (reached < minSeq) {
    return yield* new NotReady({
      message: `the ${projection} read model has not reached sequence ${minSeq} yet (at ${reached}); retry shortly`,
      projection, minSeq, reached, retryAfterSeconds: 1,
    })
  }
})

/** Fails when `minSeq` lies past the end of the projection's stream; without a way to ask (or if asking fails), waits. */
const refuseBeyondStreamEnd = Effect.fnUntraced(function* (projection: string, minSeq: number) {
  const ends = yield* Effect.serviceOption(StreamEnds)
  const stream = projectionNamed(projection)?.stream
  if (Option.isNone(ends) || stream === undefined) return
  const last = yield* ends.value.lastSeq(stream).pipe(Effect.orElseSucceed(() => Number.POSITIVE_INFINITY))
  if (minSeq > last) {
    return yield* new Invalid({
      message: `min_seq ${minSeq} is past the last event of the stream (${last}): use the seq a command answered with`,
      field: { in: "querystring", name: "min_seq" },
    })
  }
})
