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

/** The error, its `cause` chain and the members of aggregate errors (pg reports IPv4 and IPv6 attempts as one). */
function* causes(error: unknown, depth = 0): Generator<Error> {
  if (!(error instanceof Error) || depth > 8) return
  yield error
  if (error instanceof AggregateError) for (const inner of error.errors) yield* causes(inner, depth + 1)
  yield* causes(error.cause, depth + 1)
}
