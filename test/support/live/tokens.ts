// Access tokens for tests and the bench: HS256 JWTs as the edge's @fastify/jwt verifies them, signed with
// node:crypto so that a process without the edge (the bench's clients) can mint them too.
import { createHmac } from "node:crypto"

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url")

export function signTestToken(secret: string, user: { readonly id: string; readonly role: string }, ttlSeconds = 600): string {
  const now = Math.floor(Date.now() / 1000)
  const head = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify({ sub: user.id, role: user.role, iat: now, exp: now + ttlSeconds }))}`
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`
}
