// Where a simulation's kiosks come from: journals of an earlier run in the same directory (they hold their
// tokens), device tokens from a file, or new kiosks registered through the API by an admin.
import { readdir, readFile } from "node:fs/promises"
import { kioskIdOfToken } from "../../shared/index.ts"
import { openFileJournal } from "../../kiosk-client/node.ts"
import { CliError } from "../command.ts"
import { journalPath, type SimulatedKiosk } from "./fleet.ts"

const JOURNAL = /^(ksk_[0-9a-z]{26})\.journal$/

/** Kiosks whose journals are already in `dir`, by kiosk id. */
export async function journalsIn(dir: string): Promise<Map<string, SimulatedKiosk>> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return []
    throw error
  })
  const found = new Map<string, SimulatedKiosk>()
  for (const name of names) {
    const kioskId = JOURNAL.exec(name)?.[1]
    if (kioskId !== undefined) found.set(kioskId, { journal: journalPath(dir, kioskId) })
  }
  return found
}

/** One device token per line (blank lines and # comments skipped). */
export async function tokensFrom(file: string, dir: string): Promise<Map<string, SimulatedKiosk>> {
  const text = await readFile(file, "utf8").catch((error: Error) => { throw new CliError(`--tokens: ${error.message}`) })
  const found = new Map<string, SimulatedKiosk>()
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const token = raw.trim()
    if (token === "" || token.startsWith("#")) continue
    const kioskId = kioskIdOfToken(token)
    if (kioskId === undefined) throw new CliError(`--tokens: line ${i + 1} is not a kiosk device token`)
    found.set(kioskId, { journal: journalPath(dir, kioskId), deviceToken: token })
  }
  return found
}

async function call(url: string, init: { method: string; token?: string; body?: unknown }) {
  let response: Response
  try {
    response = await fetch(url, {
      method: init.method,
      headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      body: JSON.stringify(init.body),
      signal: AbortSignal.timeout(15_000),
    })
  } catch (error) {
    throw new CliError(`cannot reach the edge at ${url}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
  if (!response.ok) throw new CliError(`${init.method} ${new URL(url).pathname}: ${response.status} ${String(body.detail ?? body.title ?? "")}`)
  return body
}

export async function adminToken(edgeUrl: string, username: string, password: string): Promise<string> {
  const session = await call(`${edgeUrl}/auth/login`, { method: "POST", body: { username, password } })
  if (typeof session.token !== "string") throw new CliError("login answered without a token")
  return session.token
}

/** Registers `count` kiosks named after the run, `concurrency` at a time; each token goes into its kiosk's new
 *  journal at once, so that a run stopped half way keeps the kiosks it made. */
export async function registerKiosks(edgeUrl: string, token: string, count: number, dir: string, label: string, concurrency = 8) {
  const found = new Map<string, SimulatedKiosk>()
  let next = 0
  const worker = async () => {
    while (next < count) {
      const n = ++next
      const body = await call(`${edgeUrl}/kiosks`, {
        method: "POST", token, body: { name: `Simulated kiosk ${label}-${n}`, location: "Fleet simulator" },
      })
      const kiosk = body.kiosk as { id: string }
      const journal = await openFileJournal(journalPath(dir, kiosk.id))
      await journal.append([{ kind: "credential", token: body.deviceToken as string, at: new Date().toISOString() }])
      await journal.close()
      found.set(kiosk.id, { journal: journalPath(dir, kiosk.id) })
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return found
}
