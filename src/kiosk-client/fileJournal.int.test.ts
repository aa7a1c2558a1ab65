// The file journal on a real file system: a torn tail cut off on open, one process at a time, atomic rewrite.
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { JournalLocked, openFileJournal } from "./fileJournal.ts"
import type { JournalRecord } from "./journal.ts"

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), "file-journal-")) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

const queued = (n: number): JournalRecord => ({
  kind: "queued", payment: { key: `k${n}`, kioskId: "ksk_1", amount: n, currency: "EUR", occurredAt: "2026-11-28T10:00:00Z" },
})

describe("the file journal", () => {
  it("cuts a torn last record off on open, then appends after the good ones", async () => {
    const path = join(dir, "torn", "journal.log")
    const first = await openFileJournal(path)
    await first.append([queued(1), queued(2)])
    await first.close()
    const good = (await stat(path)).size
    await appendFile(path, '8c1f0e2a {"kind":"queued","payment":{"key":"k3"')

    const second = await openFileJournal(path)
    expect(await second.load()).toEqual([queued(1), queued(2)])
    expect((await stat(path)).size).toBe(good)
    await second.append([queued(4)])
    await second.close()

    const third = await openFileJournal(path)
    expect(await third.load()).toEqual([queued(1), queued(2), queued(4)])
    await third.close()
  })

  it("keeps a second opener off while the first is alive, and takes over a lock left by a dead process", async () => {
    const path = join(dir, "locked", "journal.log")
    const first = await openFileJournal(path)
    await expect(openFileJournal(path)).rejects.toThrow(JournalLocked)
    await first.close()
    // A SIGKILLed kiosk leaves its lock behind; no process has pid 2^22 + 1 here (pid_max is at most 2^22).
    await writeFile(`${path}.lock`, String(2 ** 22 + 1))
    const second = await openFileJournal(path)
    expect(await readFile(`${path}.lock`, "utf8")).toBe(String(process.pid))
    await second.close()
  })

  it("rewrites atomically: the next open reads exactly the new records, and appends follow them", async () => {
    const path = join(dir, "rewritten", "journal.log")
    const journal = await openFileJournal(path)
    await journal.append([queued(1), queued(2), queued(3)])
    await journal.rewrite([queued(3)])
    await journal.append([queued(5)])
    await journal.close()
    const again = await openFileJournal(path)
    expect(await again.load()).toEqual([queued(3), queued(5)])
    await again.close()
  })
})
