// `admin-kiosk projections parked`, `… retry` and `… skip` as an operator runs them (each a process of its own):
// list what the projectors parked, skip one with a reason that shows afterwards, retry one after the fix that
// lets it apply, and the refusals as one line with exit 1 (or 2 for wrong usage).
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runCli } from "../../../test/support/cli.ts"
import { registerKiosk, renameKiosk } from "../../commands/index.ts"
import { newId } from "../../platform/index.ts"
import { projectEverything, readSideFixture, type ReadFixture } from "../../../test/support/projections/fixture.ts"
import { commitBody, inject } from "../../../test/support/projections/inject.ts"

// Each test spawns several CLI processes, each a Node start plus connections: slow on a loaded machine.
describe("projections parked (CLI)", { timeout: 300_000 }, () => {
  let f: ReadFixture
  let kioskId: string
  let rotation: number
  let garbage: number
  const cli = (...args: Array<string>) => runCli(["projections", "parked", ...args], f.env)

  beforeAll(async () => {
    f = await readSideFixture()
    kioskId = (await f.writes.run(registerKiosk({ name: "Lobby", location: "Hall" }, f.context))).kiosk.id
    // A credential version the kiosks table's integer column cannot hold (22003), then a rename of the same kiosk.
    rotation = await inject(f, f.names.subject.kiosk(kioskId),
      commitBody([{ type: "KioskCredentialRotated", data: { kioskId, credentialHash: "h", credentialVersion: 2 ** 40 } }]))
    await f.writes.run(renameKiosk(kioskId, { name: "Lobby 2", location: "Hall" }, f.context))
    garbage = await inject(f, f.names.subject.notification(newId("ntf")), "not a commit")
    await projectEverything(f)
  }, 120_000)
  afterAll(async () => { await f?.dispose() })

  it("lists both parked events, open, with their errors", async () => {
    const listed = await cli()
    expect(listed.stderr).toBe("")
    expect(listed.code).toBe(0)
    const lines = listed.stdout.trimEnd().split("\n")
    expect(lines[0]).toMatch(/^projection\s+seq\s+event\s+first seen\s+attempts\s+state\s+by\s+reason\s+error$/)
    expect(lines.slice(1)).toHaveLength(2)
    expect(lines.find((l) => l.startsWith("kiosks"))).toMatch(new RegExp(`^kiosks\\s+${rotation}\\s+KioskCredentialRotated\\s.*\\s1\\s+open\\s+22003: `))
    expect(lines.find((l) => l.startsWith("notifications"))).toMatch(new RegExp(`^notifications\\s+${garbage}\\s+\\?\\s.*\\s1\\s+open\\s+decode: `))
    const json = JSON.parse((await cli("--projection", "kiosks", "--json")).stdout) as Array<{ seq: number; error_code: string }>
    expect(json.map((r) => [r.seq, r.error_code])).toEqual([[rotation, "22003"]])
  })

  it("a retry that fails again exits 1 with one line, and counts the attempt", async () => {
    const retried = await cli("retry", "notifications", String(garbage))
    expect(retried.code).toBe(1)
    expect(retried.stdout).toBe("")
    expect(retried.stderr.trimEnd().split("\n")).toHaveLength(1)
    expect(retried.stderr).toContain(`notifications #${garbage} still fails: undecodable event`)
    const json = JSON.parse((await cli("--projection", "notifications", "--json")).stdout) as Array<{ attempts: number; resolution: null }>
    expect(json).toMatchObject([{ attempts: 2, resolution: null }])
  })

  it("skip records who and why, and the listing shows it", async () => {
    const skipped = await cli("skip", "notifications", String(garbage), "--reason", "junk left by the 2025 import tool", "--by", "alice")
    expect([skipped.code, skipped.stderr]).toEqual([0, ""])
    expect(skipped.stdout).toBe(`notifications #${garbage}: skipped by alice\n`)
    const listed = await cli("--projection", "notifications")
    expect(listed.stdout).toMatch(new RegExp(`notifications\\s+${garbage}\\s.*\\sskipped\\s+alice\\s+junk left by the 2025 import tool\\s+decode: `))
    expect((await cli("--open")).stdout).not.toContain("notifications")
    const again = await cli("skip", "notifications", String(garbage), "--reason", "twice")
    expect([again.code, again.stderr.trim()]).toEqual([1, expect.stringMatching(/already skipped by alice/)])
  })

  it("retry applies the event once the fix is in, says later events came first, and a rebuild puts them in order", async () => {
    // The fix: the column grows to bigint, as the migration shipped with a code fix would do.
    await sql`alter table kiosks alter column credential_version type bigint`.execute(f.db.db)
    const retried = await cli("retry", "kiosks", String(rotation), "--by", "bob", "--reason", "column widened")
    expect([retried.code, retried.stderr]).toEqual([0, ""])
    expect(retried.stdout).toContain(`kiosks #${rotation}: applied (1 events), marked retried by bob`)
    expect(retried.stdout).toMatch(/note: later events of the same aggregate .*`admin-kiosk projections rebuild kiosks`/)
    expect((await cli("--projection", "kiosks")).stdout).toMatch(new RegExp(`kiosks\\s+${rotation}\\s.*\\sretried\\s+bob\\s+column widened\\s`))

    const rebuilt = await runCli(["projections", "rebuild", "kiosks"], f.env)
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(await f.db.db.selectFrom("kiosks").select(["name", "credential_version"]).where("kiosk_id", "=", kioskId).executeTakeFirst())
      .toEqual({ name: "Lobby 2", credential_version: 2 ** 40 })

    const status = JSON.parse((await runCli(["projections", "status", "--json"], f.env)).stdout) as Array<{ name: string; parked: number }>
    expect(status.filter((s) => s.parked > 0)).toEqual([])
    const skipRetried = await cli("skip", "kiosks", String(rotation), "--reason", "too late")
    expect([skipRetried.code, skipRetried.stderr.trim()]).toEqual([1, expect.stringMatching(/already retried by bob/)])
  })

  it("refuses what isn't parked (exit 1) and wrong usage (exit 2), each in one line", async () => {
    const missing = await cli("retry", "kiosks", "999999")
    expect([missing.code, missing.stderr.trim()]).toEqual([1, "admin-kiosk projections parked retry: kiosks has no parked event at sequence 999999 to retry"])
    for (const args of [["skip", "kiosks", String(rotation)], ["retry", "nowhere", "1"], ["skip", "kiosks", "1", "--reason", "  "]]) {
      const refused = await cli(...args)
      expect([args.join(" "), refused.code, refused.stderr.trimEnd().split("\n").length]).toEqual([args.join(" "), 2, 1])
    }
  })
})
