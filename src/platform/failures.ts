// Failures an operator causes and fixes (a service down, a port taken), as opposed to bugs. The CLI prints each
// as one line naming the cause, with no stack trace, and exits 1.

/** A port already taken, named by the setting that chose it. */
export class PortInUse extends Error {
  override readonly name = "PortInUse"
  readonly port: number
  constructor(port: number, setting: string) {
    super(`port ${port} is in use (${setting})`)
    this.port = port
  }
}

/** A connection URL fit for a log line or an error: the password replaced. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@")

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"])
// PostgreSQL refusing us after connecting: bad password or role, missing database, too many clients.
const PG_REFUSALS: Record<string, string> = {
  "28P01": "wrong password", "28000": "role not allowed", "3D000": "database does not exist", "53300": "too many connections",
}

interface Where {
  readonly natsUrl: string
  readonly databaseUrl: string
}

/**
 * The one line for an operational failure anywhere in `error`'s causes, or undefined for anything else (a bug,
 * which keeps its stack). `where` names the services the process was configured with.
 */
export function describeOperationalFailure(error: unknown, where: Where): string | undefined {
  for (const e of causes(error)) {
    const code = (e as { code?: unknown }).code
    if (e instanceof PortInUse) return e.message
    if ((e as { _tag?: unknown })._tag === "NatsUnavailable") return e.message
    if (code === "EADDRINUSE") return `port ${(e as { port?: number }).port ?? "?"} is in use`
    if (typeof code === "string" && code in PG_REFUSALS) {
      return `PostgreSQL at ${redactUrl(where.databaseUrl)} refused the connection (${PG_REFUSALS[code]}): ${e.message}`
    }
    if (typeof code === "string" && UNREACHABLE.has(code)) {
      const port = (e as { port?: number }).port
      const isPg = port !== undefined && port === portOf(where.databaseUrl, 5432)
      return isPg
        ? `cannot reach PostgreSQL at ${redactUrl(where.databaseUrl)} (${code})`
        : `cannot reach ${(e as { address?: string }).address ?? "a service"}:${port ?? "?"} (${code})`
    }
  }
  return undefined
}

function portOf(url: string, fallback: number): number | undefined {
  try {
    return Number(new URL(url).port || fallback)
  } catch {
    return undefined
  }
}

/** A dependency the process cannot do without right now: the failure is the world's, and asking again later helps. */
export interface DependencyOutage {
  readonly dependency: "NATS" | "Postgres"
  /** One public line: which dependency, never its address or the driver's words. */
  readonly detail: string
}

// nats.js's own error names (set explicitly by the library, so they survive bundling and a second copy of it).
const NATS_OUTAGES = new Set([
  "ConnectionError", "ClosedConnectionError", "DrainingConnectionError", "TimeoutError", "NoResponders", "RequestError",
  "JetStreamNotEnabled",
])
// What pg says when the server went away, is starting or stopping, or the connection attempt timed out.
const PG_GONE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/

/** SQLSTATEs of a Postgres that is unreachable for now: connection exceptions, shutting down or starting, full. */
const isPgOutageState = (code: string) => code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300"

/**
 * The one classification of "a dependency is down" (the edge answers it with 503 and Retry-After), or undefined
 * for anything else — a bug, a refused request — which must not be dressed up as a passing outage. A network
 * error code (ECONNREFUSED…) names Postgres when its port is the database's: nats.js reconnects by itself and
 * reports its own errors, so only pg surfaces raw socket errors to a request.
 */
export function dependencyOutage(error: unknown, where?: Pick<Where, "databaseUrl">): DependencyOutage | undefined {
  const nats = { dependency: "NATS", detail: "The event store (NATS JetStream) is unavailable; try again shortly" } as const
  const postgres = { dependency: "Postgres", detail: "The read models' database (Postgres) is unavailable; try again shortly" } as const
  for (const e of causes(error)) {
    const { _tag: tag, cause, code, status } = e as { _tag?: unknown; cause?: unknown; code?: unknown; status?: unknown }
    if (tag === "NatsUnavailable") return nats
    // The event store wraps what NATS said; it judges by that, except for its own time limit (no cause).
    if (tag === "StoreUnavailable" && (cause === null || cause === undefined)) return nats
    if (NATS_OUTAGES.has(e.name) && !(e instanceof DOMException)) return nats
    // JetStream answering "503": no responders for its API, or JetStream itself not (yet) available.
    if (e.name === "JetStreamApiError" && status === 503) return nats
    if (e.name === "JetStreamStatusError" && code === 503) return nats
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && isPgOutageState(code) && "severity" in e) return postgres
    if (PG_GONE.test(e.message)) return postgres
    if (typeof code === "string" && UNREACHABLE.has(code)) {
      const port = (e as { port?: number }).port
      if (where === undefined || port === undefined || port === portOf(where.databaseUrl, 5432)) return postgres
    }
  }
  return undefined
}

/** The error, its `cause` chain and the members of aggregate errors (pg reports IPv4 and IPv6 attempts as one). */
function* causes(error: unknown, depth = 0): Generator<Error> {
  if (!(error instanceof Error) || depth > 8) return
  yield error
  if (error instanceof AggregateError) for (const inner of error.errors) yield* causes(inner, depth + 1)
  yield* causes(error.cause, depth + 1)
}
