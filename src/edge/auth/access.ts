// Who may call a route, and who is calling. Every route states its access in `config.access`; the one guard
// (authenticate.ts) enforces it before anything else runs.
import type { Actor, Role } from "../../commands/index.ts"
import type { Scope } from "../../projections/index.ts"

/** The callers a route may admit: the three human roles and the kiosk device credential. */
export type Caller = Role | "kiosk"
export const CALLERS: ReadonlyArray<Caller> = ["admin", "operator", "auditor", "kiosk"]

/** "public": no credential needed (login, health, docs). Otherwise the callers admitted. */
export type Access = "public" | ReadonlyArray<Caller>

export type Principal =
  | { readonly kind: "user"; readonly id: string; readonly role: Role; readonly username: string }
  | { readonly kind: "kiosk"; readonly id: string }

export const callerOf = (principal: Principal): Caller => (principal.kind === "kiosk" ? "kiosk" : principal.role)

/** The actor recorded on the events a request causes. */
export const actorOf = (principal: Principal): Actor =>
  principal.kind === "kiosk" ? { kind: "kiosk", id: principal.id } : { kind: "user", id: principal.id, role: principal.role }

/** Operators see only the kiosks assigned to them (and their payments); admins and auditors see the fleet. */
export const scopeOf = (principal: Principal): Scope =>
  principal.kind === "user" && principal.role === "operator" ? { operatorId: principal.id } : "all"

/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none or it is malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const found = /^Bearer[ ]+([\x21-\x7e]{1,4096})$/i.exec(header.trim())
  return found?.[1]
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call this route; required on every route (startup fails without it). */
    access?: Access
  }
  interface FastifyRequest {
    /** Set by the guard for every non-public route; null on public ones. */
    principal: Principal | null
  }
}
