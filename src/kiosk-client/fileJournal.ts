// The journal as a file on Node: appends are fsync'ed before they count, a torn tail left by a kill is cut off on
// open, and compaction writes a new file and renames it over the old one (atomic on POSIX file systems). A lock
// file keeps a second process off the same journal; one left by a killed process is taken over.
import { constants } from "node:fs"
import { type FileHandle, mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises"
import { dirname } from "node:path"
import type { JournalRecord } from "./journal.ts"
import { decodeJournal, encodeRecords } from "./fileJournalCodec.ts"
import type { JournalStore } from "./store.ts"

export class JournalLocked extends Error {
  override readonly name = "JournalLocked"
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Journals this process has open: a second opener in the same process is refused too. */
const openHere = new Set<string>()

async function lock(path: string): Promise<void> {
  if (openHere.has(path)) throw new JournalLocked(`${path}: the journal is already open in this process`)
  try {
    await writeFile(path, String(process.pid), { flag: "wx" })
    return
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
  }
  const holder = Number((await readFile(path, "utf8")).trim())
  if (Number.isSafeInteger(holder) && holder !== process.pid && alive(holder)) {
    throw new JournalLocked(`${path}: the journal is in use by process ${holder}`)
  }
  await writeFile(path, String(process.pid))
}

async function unlock(path: string) {
  openHere.delete(path)
  await rm(path, { force: true })
}

async function syncDirectory(path: string) {
  const dir = await open(dirname(path), constants.O_RDONLY)
  try { await dir.sync() } finally { await dir.close() }
}

/** Opens (or creates) the journal at `path`, e.g. `/var/lib/kiosk/journal.log`. */
export async function openFileJournal(path: string): Promise<JournalStore> {
  await mkdir(dirname(path), { recursive: true })
  const lockPath = `${path}.lock`
  await lock(lockPath)
  openHere.add(lockPath)
  let handle: FileHandle | undefined
  try {
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return new Uint8Array()
      throw error
    })
    const { records, validBytes } = decodeJournal(bytes)
    handle = await open(path, "a")
    let size = validBytes
    if (validBytes < bytes.length) {
      await handle.truncate(validBytes)
      await handle.datasync()
    }
    let current: FileHandle = handle

    return {
      load: async () => records,
      async append(batch) {
        if (batch.length === 0) return
        const text = encodeRecords(batch)
        try {
          await current.appendFile(text)
          await current.datasync()
          size += Buffer.byteLength(text)
        } catch (error) {
          // Leave no half-written batch behind for the next append to follow.
          await current.truncate(size).catch(() => {})
          throw error
        }
      },
      async rewrite(all: ReadonlyArray<JournalRecord>) {
        const text = encodeRecords(all)
        const next = `${path}.next`
        const file = await open(next, "w")
        try {
          await file.writeFile(text)
          await file.datasync()
        } finally {
          await file.close()
        }
        await rename(next, path)
        await syncDirectory(path)
        await current.close()
        current = await open(path, "a")
        size = Buffer.byteLength(text)
      },
      async close() {
        await current.close()
        await unlock(lockPath)
      },
    }
  } catch (error) {
    await handle?.close()
    await unlock(lockPath)
    throw error
  }
}
