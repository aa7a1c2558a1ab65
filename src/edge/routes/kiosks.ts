// /kiosks: registration (issues the device token, once), renaming, pairing by scanned code, unassigning,
// credential rotation, the kiosk's own heartbeats, the printable QR label, and the scoped lists.
import { Schema } from "effect"
import type { FastifyInstance } from "fastify"
import {
  assignKioskByCode, HeartbeatInput, kioskPairingLabel, loadKiosk, recordHeartbeat, registerKiosk, renameKiosk, rotateKioskCredential, unassignKiosk,
} from "../../commands/index.ts"
import { getKiosk, kioskSummary, kioskUptime, listKiosks } from "../../projections/index.ts"
import { scopeOf } from "../auth/access.ts"
import { assertSelfOrUser, principalOf } from "../auth/authenticate.ts"
import { commandContext } from "../http/requestContext.ts"
import { badQuery, queryInstant } from "../instants.ts"
import { kioskLabelSvg } from "../qrLabel.ts"
import { pairingLimits, perCallerLimit } from "../http/rateLimits.ts"
import { addRoute } from "../route.ts"
import { Day, Id, IdParams, KioskCode, KioskLocation, KioskName, KioskView, ListedKioskView, Page, pageQuery, PairingCode, SearchText, Seq, Timestamp } from "../shapes.ts"
import { kioskFromRow } from "../views.ts"

const KioskChange = Schema.Struct({ kiosk: KioskView, seq: Seq })

/** The longest range of days GET /kiosks/:id/uptime answers for (both ends included). */
export const MAX_UPTIME_DAYS = 400
const DAY_MS = 86_400_000
const Uptime = Schema.Struct({
  from: Timestamp,
  to: Timestamp,
  offlineSeconds: Schema.Int,
  online: Schema.NullOr(Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 1 }))),
  periods: Schema.Array(Schema.Struct({ offlineFrom: Timestamp, backAt: Schema.NullOr(Timestamp), seconds: Schema.Int }).annotate({ title: "OfflinePeriod" })),
}).annotate({ title: "KioskUptime" })

export const Heartbeat = HeartbeatInput

export const KioskRegistration = Schema.Struct({
  name: KioskName,
  location: Schema.optionalKey(KioskLocation),
  code: Schema.optionalKey(KioskCode),
})
export const KioskChangeBody = Schema.Struct({ name: Schema.optionalKey(KioskName), location: Schema.optionalKey(KioskLocation) })
  .check(Schema.isMinProperties(1))
export const PairingBody = Schema.Struct({ code: PairingCode })

export async function kioskRoutes(app: FastifyInstance) {
  const perKiosk = perCallerLimit(app)

  addRoute(app, {
    method: "POST",
    url: "",
    summary: "Register a kiosk; the answer carries its device token, shown this once",
    access: ["admin"],
    schemas: {
      body: KioskRegistration,
      responses: { 201: Schema.Struct({ kiosk: KioskView, deviceToken: Schema.String, seq: Seq }) },
    },
    handler: async (request, reply) => {
      const { name, location, code } = request.body
      const { kiosk, deviceToken, seq } = await app.command("registerKiosk", registerKiosk({ name, location: location ?? "", code }, commandContext(request)))
      return reply.code(201).header("cache-control", "no-store").send({ kiosk, deviceToken, seq })
    },
  })

  addRoute(app, {
    method: "GET",
    url: "",
    summary: "List kiosks (an operator's own only), filtered and sorted, a page at a time",
    access: ["admin", "operator", "auditor"],
    schemas: {
      querystring: Schema.Struct({
        ...pageQuery,
        status: Schema.optionalKey(Schema.Literals(["unknown", "online", "offline", "decommissioned"])),
        operator_id: Schema.optionalKey(Schema.Union([Id, Schema.Literal("none")])
          .annotate({ description: "An operator's id, or `none` for kiosks nobody operates" })),
        location: Schema.optionalKey(SearchText(120)),
        q: Schema.optionalKey(SearchText(80)),
        sort: Schema.optionalKey(Schema.Literals(["name", "-name", "code", "-code", "registered_at", "-registered_at"])),
      }),
      responses: { 200: Page(ListedKioskView) },
    },
    handler: async (request) => {
      const { limit, cursor, min_seq, status, operator_id, location, q, sort } = request.query
      const scope = scopeOf(principalOf(request))
      const assigneeId = operator_id === "none" ? null : operator_id
      const page = await app.run(listKiosks({ scope, limit, cursor, minSeq: min_seq, status, assigneeId, location, search: q, sort }))
      return { items: page.items.map(kioskFromRow), next_cursor: page.next_cursor, seq: page.seq }
    },
  })

  // A static path: find-my-way prefers it to "/:id" whatever the order they are declared in.
  addRoute(app, {
    method: "GET",
    url: "/summary",
    summary: "How many kiosks are in service and how many are online or offline (an operator's own only)",
    access: ["admin", "operator", "auditor"],
    schemas: {
      querystring: Schema.Struct({ min_seq: pageQuery.min_seq }),
      responses: { 200: Schema.Struct({ total: Schema.Int, online: Schema.Int, offline: Schema.Int, unknown: Schema.Int }).annotate({ title: "KioskSummary" }) },
    },
    handler: async (request) => app.run(kioskSummary({ scope: scopeOf(principalOf(request)), minSeq: request.query.min_seq })),
  })

  addRoute(app, {
    method: "GET",
    url: "/:id",
    summary: "One kiosk (404 for an operator's kiosk that is not theirs)",
    access: ["admin", "operator", "auditor"],
    schemas: { params: IdParams, querystring: Schema.Struct({ min_seq: pageQuery.min_seq }), responses: { 200: ListedKioskView } },
    handler: async (request) => {
      const scope = scopeOf(principalOf(request))
      return kioskFromRow(await app.run(getKiosk(request.params.id, { scope, minSeq: request.query.min_seq })))
    },
  })

  addRoute(app, {
    method: "PATCH",
    url: "/:id",
    summary: "Rename a kiosk or change its location",
    access: ["admin"],
    schemas: {
      params: IdParams,
      body: KioskChangeBody,
      responses: { 200: KioskChange },
    },
    handler: async (request) => {
      const { id } = request.params
      const current = await app.run(loadKiosk(id))
      const change = { name: request.body.name ?? current.name, location: request.body.location ?? current.location }
      const { kiosk, seq } = await app.command("renameKiosk", renameKiosk(id, change, commandContext(request)))
      return { kiosk, seq }
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/assign",
    summary: "Pair the kiosk whose QR label was scanned with the caller",
    description: "`code` is the label's pairing code, `<kiosk code>:<secret>`: the kiosk code alone never pairs. A label " +
      "works once: pairing, unpairing or handing the kiosk over gives it a new one (the kiosk's screen and " +
      "`GET /kiosks/{id}/qr` show the current one). An unknown kiosk, a wrong secret and a used label all answer 404; " +
      `a kiosk someone else holds, 409. At most ${app.limits.pairPerUserPerMinute} attempts per minute per user and ` +
      `${app.limits.pairPerAddressPerMinute} per address (429 with Retry-After).`,
    access: ["operator", "admin"],
    rateLimit: pairingLimits(app),
    schemas: { body: PairingBody, responses: { 200: KioskChange } },
    handler: async (request) => {
      const { kiosk, seq } = await app.command("assignKioskByCode", assignKioskByCode(request.body.code, principalOf(request).id, commandContext(request)))
      return { kiosk, seq }
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/:id/unassign",
    summary: "Release a kiosk from its operator",
    access: ["admin"],
    schemas: { params: IdParams, responses: { 200: KioskChange } },
    handler: async (request) => {
      const { kiosk, seq } = await app.command("unassignKiosk", unassignKiosk(request.params.id, commandContext(request)))
      return { kiosk, seq }
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/:id/credentials",
    summary: "Issue a new device token; every edge refuses the previous one within a second",
    access: ["admin"],
    schemas: {
      params: IdParams,
      responses: { 200: Schema.Struct({ deviceToken: Schema.String, credentialVersion: Schema.Int, seq: Seq }) },
    },
    handler: async (request, reply) => {
      const { kiosk, deviceToken, seq } = await app.command("rotateKioskCredential", rotateKioskCredential(request.params.id, commandContext(request)))
      return reply.header("cache-control", "no-store").send({ deviceToken, credentialVersion: kiosk.credentialVersion, seq })
    },
  })

  addRoute(app, {
    method: "POST",
    url: "/:id/heartbeat",
    summary: "A kiosk reports that it is alive (its own device token only)",
    description: "`at` (the kiosk's clock, now when absent) may be at most 5 minutes ahead of the server and at most " +
      "KIOSK_FORWARD_WINDOW_DAYS (default 90) days old (422). `status` keys are identifiers; values are short texts, numbers or booleans.",
    access: ["kiosk"],
    rateLimit: perKiosk,
    schemas: { params: IdParams, body: Heartbeat, responses: { 202: Schema.Struct({ seq: Seq, at: Timestamp }) } },
    handler: async (request, reply) => {
      const { id } = request.params
      assertSelfOrUser(request, id)
      const { seq, at } = await app.command("recordHeartbeat", recordHeartbeat(id, request.body, commandContext(request)))
      return reply.code(202).send({ seq, at })
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/:id/uptime",
    summary: "A kiosk's offline periods and uptime over a range of UTC days (404 for an operator's kiosk that is not theirs)",
    description: `\`from\` and \`to\` are UTC days, both included, at most ${MAX_UPTIME_DAYS} days apart; the range ends now at ` +
      "the latest and starts at the kiosk's registration at the earliest. Periods are clipped to the range; `backAt` is null " +
      "while the kiosk is still offline. `online` is the share of the range it was not offline (null for an empty range).",
    access: ["admin", "operator", "auditor"],
    schemas: {
      params: IdParams,
      querystring: Schema.Struct({ from: Day, to: Day, min_seq: pageQuery.min_seq }),
      responses: { 200: Uptime },
    },
    handler: async (request) => {
      const { from, to, min_seq: minSeq } = request.query
      const start = queryInstant(`${from}T00:00:00Z`, "from")
      const end = queryInstant(`${to}T00:00:00Z`, "to") + DAY_MS
      if (end <= start) throw badQuery("to", "must not be before from")
      if ((end - start) / DAY_MS > MAX_UPTIME_DAYS) throw badQuery("to", `must be at most ${MAX_UPTIME_DAYS} days from from (both included)`)
      const scope = scopeOf(principalOf(request))
      return app.run(kioskUptime(request.params.id, { scope, from: start, to: Math.min(end, Date.now()), minSeq }))
    },
  })

  addRoute(app, {
    method: "GET",
    url: "/:id/qr",
    summary: "The kiosk's printable label: its current pairing code as a QR symbol (SVG)",
    description: "Admins print it; a kiosk shows its own on screen, for an operator to pair it. The pairing code changes " +
      "whenever the kiosk is paired, unpaired or handed over, so a label pairs once.",
    access: ["admin", "kiosk"],
    schemas: { params: IdParams, responses: { 200: Schema.String }, produces: "image/svg+xml" },
    handler: async (request, reply) => {
      assertSelfOrUser(request, request.params.id)
      const label = await app.run(kioskPairingLabel(request.params.id))
      return reply.type("image/svg+xml").header("cache-control", "no-store").send(kioskLabelSvg(label))
    },
  })
}
