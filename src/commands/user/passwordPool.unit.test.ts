import { once } from "node:events"
import { readdirSync, readFileSync } from "node:fs"
import { Worker } from "node:worker_threads"
import { afterEach, describe, expect, it } from "vitest"
import { type PasswordPool, passwordPool, type PriorityReport, spawnPasswordThread } from "./passwordPool.ts"

const pools: Array<PasswordPool> = []
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()))
})

/** A pool whose threads the test can reach. */
function tracked(size: number, fallbackSize = size, spawnOne: () => Worker = spawnPasswordThread) {
  const spawned: Array<Worker> = []
  const reports: Array<PriorityReport> = []
  const pool = passwordPool({
    size, fallbackSize, onPriority: (r) => reports.push(r),
    spawn: () => {
      const worker = spawnOne()
      spawned.push(worker)
      return worker
    },
  })
  pools.push(pool)
  return { pool, spawned, reports }
}

/** A stand-in thread that answers after a while, reporting the priority it is told to: the pool's limits alone. */
const standIn = (lowered: boolean) => () => new Worker(`
  const { parentPort } = require("node:worker_threads")
  parentPort.postMessage(${lowered} ? { kind: "priority", lowered: true, nice: 19 } : { kind: "priority", lowered: false, reason: "a stand-in" })
  parentPort.on("message", (r) => r.password === "crash" ? process.nextTick(() => { throw new Error("a stand-in crashed") }) : setTimeout(() => parentPort.postMessage({ kind: "done", id: r.id, value: r.op === "hash" ? "hash-of-" + r.password : true }), 30))
`, { eval: true })

/** The nice value of each of this process's threads (Linux). */
const threadNices = () => readdirSync("/proc/self/task").map((tid) => {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8")
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16])
})

describe("the password pool", { timeout: 60_000 }, () => {
  it("hashes, and checks a password against its hash: the right one matches, a wrong one and an unreadable hash do not", async () => {
    const { pool } = tracked(1)
    const hash = await pool.hash("correct horse battery staple")
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(await pool.verify(hash, "correct horse battery staple")).toBe(true)
    expect(await pool.verify(hash, "correct horse battery stapler")).toBe(false)
    expect(await pool.verify("not an argon2 hash", "correct horse battery staple")).toBe(false)
  })

  it.runIf(process.platform === "linux")("runs its threads at nice 19, the rest of the process untouched", async () => {
    const { pool, reports } = tracked(1)
    await pool.hash("a password to hash")
    expect(reports).toEqual([{ kind: "priority", lowered: true, nice: 19 }])
    const nices = threadNices()
    expect(nices.filter((n) => n === 19)).toHaveLength(1)
    expect(nices.filter((n) => n !== 19).every((n) => n === nices[0])).toBe(true)
  })

  it("answers many requests at once, each its own, on at most its size of threads", async () => {
    const { pool, spawned } = tracked(2)
    const passwords = Array.from({ length: 8 }, (_, i) => `password number ${i}`)
    const hashes = await Promise.all(passwords.map((p) => pool.hash(p)))
    const checks = await Promise.all(passwords.flatMap((p, i) => [pool.verify(hashes[i]!, p), pool.verify(hashes[(i + 1) % 8]!, p)]))
    expect(checks).toEqual(passwords.flatMap(() => [true, false]))
    expect(spawned).toHaveLength(2)
  })

  it("runs as many at once as its size when its threads run at low priority, and its fallback size when they cannot", async () => {
    const low = tracked(3, 1, standIn(true))
    const normal = tracked(3, 1, standIn(false))
    const requests = (pool: PasswordPool) => Promise.all(Array.from({ length: 9 }, (_, i) => pool.hash(`p${i}`)))
    expect(await requests(low.pool)).toEqual(Array.from({ length: 9 }, (_, i) => `hash-of-p${i}`))
    await requests(normal.pool)
    expect(low.spawned).toHaveLength(3)
    expect(normal.spawned).toHaveLength(1)
    expect(normal.reports).toEqual([{ kind: "priority", lowered: false, reason: "a stand-in" }])
  })

  it("fails what a dying thread had in hand, saying so, and answers the next request on a fresh thread", async () => {
    const { pool, spawned } = tracked(1)
    const inHand = expect(pool.hash("a password to hash")).rejects.toThrow(/not answered: its thread stopped \(exit code 1\)/)
    const queued = pool.hash("another password")
    await once(spawned[0]!, "online")
    await spawned[0]!.terminate()
    await inHand
    expect(await pool.verify(await queued, "another password")).toBe(true)
    expect(spawned).toHaveLength(2)
  })

  it("fails a request whose thread threw, with what it threw", async () => {
    const { pool, spawned } = tracked(1, 1, standIn(true))
    const crashed = expect(pool.hash("crash")).rejects.toThrow(/its thread stopped \(exit code 1: a stand-in crashed\)/)
    const next = pool.hash("next")
    await crashed
    expect(await next).toBe("hash-of-next")
    expect(spawned).toHaveLength(2)
  })

  it("stops its threads on close, failing what is queued or in hand and every later request", async () => {
    const { pool, spawned } = tracked(1)
    await pool.hash("start a thread")
    const inHand = expect(pool.hash("a password to hash")).rejects.toThrow(/the password pool was closed/)
    const queued = expect(pool.hash("another password")).rejects.toThrow(/the password pool was closed/)
    const exited = once(spawned[0]!, "exit")
    await pool.close()
    await Promise.all([exited, inHand, queued])
    await expect(pool.verify("whatever", "whatever")).rejects.toThrow(/closed/)
    expect(spawned[0]!.threadId).toBe(-1)
  })
})
