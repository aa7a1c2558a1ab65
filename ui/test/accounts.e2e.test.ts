// Accounts and notifications in the built console against the real edge, as the roles concerned: an admin adds a
// user, who signs in, changes their password and signs in with the new one (the old one fails); an admin resets
// that password and the user's open console is signed out; the user turns sale receipts on; the admin's
// notification list shows subject, message and recipient with a working link, and Next is never offered in vain.
import { mkdir } from "node:fs/promises"
import { join, resolve } from "node:path"
import { Effect } from "effect"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { EventStore, notificationDecider, systemActor } from "../../src/commands/index.ts"
import { startEdgeSystem, type EdgeSystem, type Session } from "../../test/support/edge.ts"
import { signIn } from "./support/browser.ts"
import { type ConsoleUnderTest, openConsole } from "./support/console.ts"

const artifacts = resolve(import.meta.dirname, "../../test-artifacts")
const INITIAL = "amber falcon river 9"
const CHOSEN = "quiet meadow lantern 7"
const RESET = "copper kettle horizon 3"

let system: EdgeSystem
let consoleServer: ConsoleUnderTest
let admin: Session

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true })
  system = await startEdgeSystem()
  await system.app.listen({ host: "127.0.0.1", port: 0 })
  admin = await system.userWithRole("admin")
  consoleServer = await openConsole(`http://127.0.0.1:${(system.app.server.address() as { port: number }).port}`)
}, 300_000)

afterAll(async () => {
  await consoleServer?.close()
  await system?.close()
})

const newPage = () => consoleServer.newPage()

/** Signs in from the login page with a chosen password; answers whether it worked. */
async function logIn(page: Page, username: string, password: string): Promise<boolean> {
  await page.goto(`${consoleServer.url}/console/login`)
  await page.getByLabel("Username").fill(username)
  await page.getByLabel("Password").fill(password)
  await page.getByRole("button", { name: "Sign in" }).click()
  return Promise.race([
    page.waitForURL((url) => !url.pathname.endsWith("/login"), { timeout: 15_000 }).then(() => true),
    page.getByRole("alert").first().waitFor({ timeout: 15_000 }).then(() => false),
  ])
}

describe("accounts in the console", () => {
  it("an admin adds a user, who signs in, changes their password (the old one then fails), and turns receipts on", async () => {
    const adminPage = await newPage()
    await signIn(adminPage, consoleServer.url, admin.user.username, "/users")
    await adminPage.getByRole("button", { name: "Add user" }).click()
    const dialog = adminPage.getByRole("dialog", { name: "Add user" })
    await dialog.getByLabel("Username").fill("nadia.e2e")
    await dialog.getByLabel("Role").selectOption("operator")
    await dialog.getByLabel("Email").fill("nadia@example.com")
    await dialog.getByLabel("Initial password").fill(INITIAL)
    await adminPage.screenshot({ path: join(artifacts, "users-add-dialog.png") })
    await dialog.getByRole("button", { name: "Add user" }).click()
    await adminPage.getByText("User nadia.e2e added.").waitFor()
    await adminPage.getByRole("button", { name: "Reset password nadia.e2e" }).waitFor()

    const page = await newPage()
    expect(await logIn(page, "nadia.e2e", INITIAL)).toBe(true)
    await page.getByRole("link", { name: "My account" }).click()
    await page.getByRole("heading", { name: "My account" }).waitFor()
    await page.getByLabel("Current password").fill("not my password")
    await page.getByLabel("New password").fill(CHOSEN)
    await page.getByRole("button", { name: "Change password" }).click()
    await page.getByText(/current password is not right/).waitFor()
    await page.getByLabel("Current password").fill(INITIAL)
    await page.getByRole("button", { name: "Change password" }).click()
    await page.getByText("Password changed. Your other sessions were signed out.").waitFor()

    // Receipts start off; turning them on by email is saved on the account.
    const receiptsByEmail = page.getByLabel("A receipt for each sale: Email")
    expect(await receiptsByEmail.isChecked()).toBe(false)
    await receiptsByEmail.check()
    await page.getByRole("button", { name: "Save" }).click()
    await page.getByText("Saved.").waitFor()
    await page.screenshot({ path: join(artifacts, "account.png"), fullPage: true })
    const me = await system.login("nadia.e2e", CHOSEN)
    const mine = (await system.app.inject({ method: "GET", url: "/auth/me", headers: system.bearer(me.token) })).json()
    expect(mine.contact.preferences.kinds.receipts).toEqual({ email: true, sms: false, push: false })

    await page.getByRole("button", { name: "Log out" }).click()
    expect(await logIn(page, "nadia.e2e", INITIAL)).toBe(false)
    expect(await logIn(page, "nadia.e2e", CHOSEN)).toBe(true)
  }, 180_000)

  it("an admin's reset signs the user out of their open console; only the new password works", async () => {
    const userPage = await newPage()
    expect(await logIn(userPage, "nadia.e2e", CHOSEN)).toBe(true)
    const adminPage = await newPage()
    await signIn(adminPage, consoleServer.url, admin.user.username, "/users")
    await adminPage.getByRole("button", { name: "Reset password nadia.e2e" }).click()
    const dialog = adminPage.getByRole("dialog", { name: "Reset password" })
    await dialog.getByLabel("New password").fill(RESET)
    await dialog.getByRole("button", { name: "Reset password" }).click()
    await adminPage.getByText("Password of nadia.e2e reset; their sessions have ended.").waitFor()

    // The user's next request finds the session ended and lands on the login page.
    await userPage.getByRole("link", { name: "Payments" }).click()
    await userPage.waitForURL(/\/console\/login/, { timeout: 30_000 })
    expect(await logIn(userPage, "nadia.e2e", CHOSEN)).toBe(false)
    expect(await logIn(userPage, "nadia.e2e", RESET)).toBe(true)
  }, 180_000)
})

describe("notifications in the console", () => {
  it("show recipient, subject and message with a link to the payment; Next is disabled on the last page and absent on an empty one", async () => {
    const operator = await system.login("nadia.e2e", RESET)
    const { kiosk, deviceToken } = await system.registerKiosk(admin, "Notified kiosk")
    await system.app.inject({ method: "POST", url: "/kiosks/assign", headers: system.bearer(operator.token), payload: { code: kiosk.code } })
    const paid = (await system.app.inject({
      method: "POST", url: "/payments", headers: { ...system.bearer(deviceToken), "idempotency-key": "e2e-notified-1" },
      payload: { kiosk_id: kiosk.id, amount: 1250, currency: "EUR" },
    })).json() as { payment: { id: string } }
    // A receipt as the notifier writes one to the outbox (no SMTP configured): requested, attempted, sent.
    const notificationId = "ntf_accountse2e00000001"
    const context = { actor: systemActor("notifier"), correlationId: "e2e" }
    await system.app.run(Effect.gen(function* () {
      const store = yield* EventStore
      const target = { stream: "NOTIFICATIONS" as const, subject: store.naming.subject.notification(notificationId) }
      const request = {
        notificationId, channel: "email" as const, userId: operator.user.id, address: "nadia@example.com", template: "payment-receipt",
        language: "en" as const, params: { kioskId: kiosk.id, kioskName: "Notified kiosk", amount: 1250, currency: "EUR", occurredAt: new Date().toISOString(), paymentId: paid.payment.id },
        sourceEventId: null,
      }
      yield* store.handle(notificationDecider, target, { type: "RequestNotification", request }, context)
      yield* store.handle(notificationDecider, target, { type: "StartAttempt", provider: "outbox", worker: "e2e", now: new Date().toISOString(), leaseMs: 60_000 }, context)
      yield* store.handle(notificationDecider, target, { type: "RecordSent", attempt: 1, provider: "outbox", providerMessageId: "outbox-1" }, context)
    }))

    const page = await newPage()
    await signIn(page, consoleServer.url, admin.user.username, "/notifications")
    const row = page.getByRole("row").filter({ hasText: "Payment received at Notified kiosk: 12.50 EUR" })
    await row.waitFor({ timeout: 30_000 })
    await expect.poll(() => row.textContent()).toContain("nadia.e2e")
    await expect.poll(() => row.textContent()).toContain("nadia@example.com")
    await row.getByText("Show the message").click()
    await row.getByText(/A payment of 12\.50 EUR was recorded at kiosk Notified kiosk/).waitFor()
    expect(await page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true)
    await page.screenshot({ path: join(artifacts, "notifications-outbox.png"), fullPage: true })

    await page.getByRole("tab", { name: "Failed" }).click()
    await page.getByText("Nothing here.").waitFor()
    expect(await page.getByRole("button", { name: "Next" }).count()).toBe(0)

    await page.getByRole("tab", { name: "Outbox" }).click()
    await row.getByRole("link", { name: /^Payment/ }).click()
    await page.waitForURL(new RegExp(`/console/payments/${paid.payment.id}$`))
  }, 180_000)
})
