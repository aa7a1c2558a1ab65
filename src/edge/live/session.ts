// A live session's rules, apart from the socket: what a verified access token says, whether a token may open or
// renew a session, and which losses of rights end it (and what the client is told: always closed with 4401).
import { isLiveRole, type Viewer } from "./policy.ts"
import type { RightsLoss } from "./rights.ts"

export interface VerifiedToken {
  readonly userId: string
  readonly role: string
  /** Expiry, seconds since the epoch (the JWT `exp`). */
  readonly exp: number
  /** The login the token belongs to (its `sid`): a logout ends the sockets opened with it. */
  readonly sessionId?: string | undefined
  /** The user's access epoch the token was issued in (its `ep`): a later epoch ends the socket. */
  readonly epoch?: number | undefined
}

/** The session and access epoch of the token a user proved last. */
export type Credential = Pick<VerifiedToken, "sessionId" | "epoch">

export type TokenJudgement =
  | { readonly ok: true; readonly viewer: Viewer }
  | { readonly ok: false; readonly code: "unauthorized" | "forbidden"; readonly message: string }

/** Whether a verified token may open this session (`current` undefined) or renew it, and as whom. */
export function judgeToken(verified: VerifiedToken, current: Viewer | undefined, now = Date.now()): TokenJudgement {
  if (verified.exp * 1000 <= now) return { ok: false, code: "unauthorized", message: "the access token is invalid or expired" }
  const role = verified.role
  if (!isLiveRole(role)) return { ok: false, code: "forbidden", message: "only admins, operators and auditors may use /ws" }
  // A fresh token extends this session; another user or role needs a new connection (and new checks).
  if (current !== undefined && (verified.userId !== current.userId || role !== current.role)) {
    return { ok: false, code: "unauthorized", message: "a renewed token must be for the same user and role" }
  }
  return { ok: true, viewer: { userId: verified.userId, role } }
}

/** What a socket is told when its user loses the rights it was opened with (always closed with 4401). */
const LOSSES: Record<RightsLoss["kind"], { readonly message: string; readonly label: string }> = {
  session: { message: "the session was ended; log in again", label: "session_ended" },
  epoch: { message: "the account's rights changed; renew the token", label: "rights_changed" },
  deactivated: { message: "the account was deactivated", label: "deactivated" },
  role: { message: "the account's role changed; renew the token", label: "role_changed" },
}

/** What the client is told when `loss` ends the session of `user` opened with `credential`; undefined if it does not. */
export function sessionEnd(loss: RightsLoss, user: Viewer, credential: Credential): { readonly message: string; readonly label: string } | undefined {
  if (loss.userId !== user.userId) return undefined
  const applies = loss.kind === "deactivated"
    || (loss.kind === "role" && loss.role !== user.role)
    || (loss.kind === "session" && loss.sessionId === credential.sessionId)
    // A token without an epoch (a standalone edge's) predates every change.
    || (loss.kind === "epoch" && (credential.epoch ?? -1) < loss.accessEpoch)
  return applies ? LOSSES[loss.kind] : undefined
}
