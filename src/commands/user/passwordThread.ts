// One password-hashing thread (a worker of passwordPool.ts). It first lowers its own scheduling priority, so that the
// event loop takes the CPU from argon2 whenever it has work, then answers one request at a time with argon2's sync
// calls: they run on this thread, not on libuv's pool, which is shared and cannot be niced.
import { setPriority } from "node:os"
import { parentPort } from "node:worker_threads"
import { hashSync, verifySync } from "@node-rs/argon2"
import { ARGON2_OPTIONS } from "./argon2Options.ts"
import type { PasswordReply, PasswordRequest, PriorityReport } from "./passwordPool.ts"

/** The nice value the hashing threads run at: the lowest priority Linux has. */
const NICE = 19

function lowerPriority(): PriorityReport {
  // On Linux a thread has a nice value of its own, and setPriority(0) sets the calling thread's; elsewhere it would
  // lower the whole process, event loop included.
  if (process.platform !== "linux") return { kind: "priority", lowered: false, reason: `a thread has no nice value of its own on ${process.platform}` }
  try {
    setPriority(0, NICE)
    return { kind: "priority", lowered: true, nice: NICE }
  } catch (error) {
    return { kind: "priority", lowered: false, reason: error instanceof Error ? error.message : String(error) }
  }
}

/** argon2 throws on a hash it cannot read: such a hash matches no password. */
function matches(hash: string, password: string): boolean {
  try {
    return verifySync(hash, password)
  } catch {
    return false
  }
}

function answer(request: PasswordRequest): PasswordReply {
  if (request.op === "verify") return { kind: "done", id: request.id, value: matches(request.hash, request.password) }
  try {
    return { kind: "done", id: request.id, value: hashSync(request.password, ARGON2_OPTIONS) }
  } catch (error) {
    return { kind: "failed", id: request.id, message: error instanceof Error ? error.message : String(error) }
  }
}

const port = parentPort
if (port === null) throw new Error("passwordThread.ts runs only as a worker thread (see passwordPool.ts)")
port.postMessage(lowerPriority() satisfies PasswordReply)
port.on("message", (request: PasswordRequest) => port.postMessage(answer(request)))
