// The file journal's format: one record per line, `<crc32 as 8 hex digits> <JSON>\n`. A kill mid-write leaves a
// torn tail (a partial line, or a line whose checksum fails); only the tail may be bad: a bad line with good ones
// after it is not something an append-only writer leaves behind, so the journal is refused rather than guessed at.
import { crc32 } from "node:zlib"
import { isJournalRecord, JournalCorrupt, type JournalRecord } from "./journal.ts"

const hex = (text: string) => crc32(text).toString(16).padStart(8, "0")

export function encodeRecords(records: ReadonlyArray<JournalRecord>): string {
  return records.map((record) => {
    const json = JSON.stringify(record)
    return `${hex(json)} ${json}\n`
  }).join("")
}

function decodeLine(line: string): JournalRecord | undefined {
  const json = line.slice(9)
  if (line[8] !== " " || line.slice(0, 8) !== hex(json)) return undefined
  try {
    const value: unknown = JSON.parse(json)
    return isJournalRecord(value) ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The records of a journal file and how many of its bytes hold them (the rest is a torn tail, to be cut off before
 * appending again). Throws JournalCorrupt when a bad line has good lines after it.
 */
export function decodeJournal(bytes: Uint8Array): { readonly records: ReadonlyArray<JournalRecord>; readonly validBytes: number } {
  const records: Array<JournalRecord> = []
  const decoder = new TextDecoder("utf-8", { fatal: true })
  let offset = 0
  let tornAt: number | undefined
  while (offset < bytes.length) {
    const end = bytes.indexOf(0x0a, offset)
    // No newline: the last write stopped part way.
    if (end === -1) {
      tornAt ??= offset
      break
    }
    let record: JournalRecord | undefined
    try {
      record = decodeLine(decoder.decode(bytes.subarray(offset, end)))
    } catch {
      record = undefined
    }
    if (record === undefined) tornAt ??= offset
    else if (tornAt !== undefined) throw new JournalCorrupt(`journal damaged at byte ${tornAt}, with records after it`)
    else records.push(record)
    offset = end + 1
  }
  return { records, validBytes: tornAt ?? bytes.length }
}
