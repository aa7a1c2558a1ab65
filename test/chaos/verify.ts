// The books after chaos, each read from the source of truth: the PAYMENTS stream against what the kiosks accepted;
// the live payments read model against a fresh rebuild of it into a second schema; the SMTP server's mail against
// the payments (one receipt each, none twice); and `admin-kiosk audit verify` over the whole payment log.
import { setTimeout as sleep } from "node:timers/promises"
import { Effect } from "effect"
import pg from "pg"
import { EventStore } from "../../src/commands/index.ts"
import { naming, readSettings } from "../../src/platform/index.ts"
import { closeDb, openDb, projectionsStatus, readSideDeps, rebuildProjections, withRolePool } from "../../src/projections/index.ts"
import type { Mailbox } from "../fakes/mailbox.ts"
import { runCli } from "../support/cli.ts"
import { commandRuntime } from "../support/commandRuntime.ts"
import { exactlyOnce, paymentsInStream } from "../support/paymentsInStream.ts"
import { processRuntime } from "../support/processRuntime.ts"

/** The payments read model's tables (the projection's own list). */
const PAYMENT_TABLES = ["payments", "payment_refunds", "kiosk_daily_sales", "operator_daily_sales"] as const

export interface Books {
  /** Sales the kiosks' client library accepted (durable in their journals). */
  readonly accepted: number
  /** Of those, in the PAYMENTS stream. */
  readonly inStream: number
  /** Fleet payments in the live read model. */
  readonly inReadModel: number
  /** Payment ids recorded more than once in the stream. */
  readonly duplicates: number
  /** Accepted sales missing from the stream. */
  readonly losses: number
  /** Payments in the stream that no accepted sale explains: a kiosk retry that made a second payment. */
  readonly secondPayments: number
  /** Rows that differ between the live read model and a fresh rebuild, over its four tables. */
  readonly rebuildDifferences: number
  /** Receipts the notifier owed (one per fleet payment) and those the SMTP server received, once or more. */
  readonly notificationsExpected: number
  readonly notificationsSent: number
  readonly notificationsSentTwice: number
  /** `audit verify` on PAYMENTS: messages checked and findings (a MAC failed or missing, a sequence missing). */
  readonly auditChecked: number
  readonly auditFindings: number
}

export async function checkBooks(input: {
  readonly env: Record<string, string>
  readonly accepted: ReadonlyMap<string, ReadonlyArray<string>>
  readonly mailbox: Mailbox
  readonly log: (line: string) => void
}): Promise<Books> {
  const settings = await Effect.runPromise(readSettings(input.env))
  const t = await commandRuntime(settings)
  const readSide = processRuntime(settings, "chaos-verify")
  const rebuiltNamespace = `${settings.namespace}_rebuilt`
  const rebuiltDb = openDb({ databaseUrl: settings.databaseUrl, namespace: rebuiltNamespace }, "chaos-rebuild")
  const client = new pg.Client({ connectionString: settings.databaseUrl })
  try {
    const recorded = await paymentsInStream(await t.run(EventStore))
    const once = exactlyOnce(input.accepted, recorded)
    const fleetPayments = recorded.filter((p) => input.accepted.has(p.kioskId))

    const deps = await readSide.runPromise(withRolePool("chaos-verify")(readSideDeps))
    input.log("waiting for the payments projection to reach the stream's end")
    await waitFor("the payments projection to catch up", async () =>
      (await projectionsStatus(deps, ["payments"]))[0]!.lag === 0, 180_000)
    input.log(`rebuilding the payments read model into schema ${naming(rebuiltNamespace).dbSchema}`)
    await rebuildProjections({ ...deps, db: rebuiltDb }, "payments")

    await client.connect()
    const live = naming(settings.namespace).dbSchema
    const rebuilt = naming(rebuiltNamespace).dbSchema
    let rebuildDifferences = 0
    for (const table of PAYMENT_TABLES) {
      const { rows } = await client.query<{ n: string }>(
        `select count(*) as n from ((select * from "${live}"."${table}" except all select * from "${rebuilt}"."${table}")
          union all (select * from "${rebuilt}"."${table}" except all select * from "${live}"."${table}")) d`)
      rebuildDifferences += Number(rows[0]!.n)
    }
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from "${live}".payments where kiosk_id = any($1)`, [[...input.accepted.keys()]])
    const inReadModel = Number(rows[0]!.n)

    input.log(`waiting for ${fleetPayments.length} receipts at the SMTP server`)
    const receipts = () => new Set(input.mailbox.received.map((m) => m.notificationId)).size
    await waitFor("every receipt to be sent", async () => receipts() >= fleetPayments.length, 180_000).catch((error: unknown) =>
      input.log(String(error)))
    const audit = await runCli(["audit", "verify", "--json"], input.env)
    const report = JSON.parse(audit.stdout || "{}") as { checked?: number; findingCount?: number }
    if (report.findingCount === undefined) input.log(`audit verify: exit ${audit.code}: ${audit.stderr}`)
    const perNotification = new Map<string, number>()
    for (const mail of input.mailbox.received) perNotification.set(mail.notificationId, (perNotification.get(mail.notificationId) ?? 0) + 1)

    return {
      accepted: once.accepted,
      inStream: once.inStream,
      inReadModel,
      duplicates: once.duplicates.length,
      losses: once.losses.length,
      secondPayments: once.unexplained.length,
      rebuildDifferences,
      notificationsExpected: fleetPayments.length,
      notificationsSent: perNotification.size,
      notificationsSentTwice: [...perNotification.values()].filter((n) => n > 1).length,
      auditChecked: report.checked ?? 0,
      auditFindings: report.findingCount ?? -1,
    }
  } finally {
    await client.end().catch(() => undefined)
    await closeDb(rebuiltDb)
    await readSide.dispose()
    await t.dispose()
  }
}

/** Polls `check` (a throw counts as not yet) until it holds, or throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(250)
  }
}
