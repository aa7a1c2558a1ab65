// A local fake of Google's OAuth token endpoint and the FCM HTTP v1 send API. The real firebase-admin SDK reaches
// it when FCM_API_BASE points here: it signs a JWT with the service account's key (the fake checks the signature
// against the public half), exchanges it for a token, then posts `projects/<id>/messages:send` with that token.
import { generateKeyPairSync, randomBytes, verify } from "node:crypto"
import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type FakeServer, type RecordedRequest, startFakeServer } from "./http.ts"

export interface FcmSend {
  readonly projectId: string
  readonly authorization: string | undefined
  /** The v1 `message` object as the SDK sent it. */
  readonly message: {
    readonly token?: string
    readonly notification?: { readonly title?: string; readonly body?: string }
    readonly data?: Record<string, string>
    readonly android?: { readonly collapse_key?: string }
    readonly apns?: { readonly headers?: Record<string, string> }
    readonly webpush?: { readonly headers?: Record<string, string> }
  }
}

/** FCM v1 error statuses with their FcmError code, as Google sends them. */
export type FcmReply = "accept" | { readonly httpStatus: number; readonly status: string; readonly errorCode: string; readonly message: string }

export const UNREGISTERED: FcmReply = {
  httpStatus: 404, status: "NOT_FOUND", errorCode: "UNREGISTERED", message: "Requested entity was not found.",
}
export const INTERNAL: FcmReply = { httpStatus: 500, status: "INTERNAL", errorCode: "INTERNAL", message: "Internal error encountered." }

export interface FcmFake extends FakeServer {
  readonly projectId: string
  /** A service-account key file for this fake (a fresh RSA key), for GOOGLE_APPLICATION_CREDENTIALS. */
  readonly credentialsFile: string
  readonly tokenRequests: number
  readonly sends: Array<FcmSend>
  readonly accepted: Array<{ readonly name: string; readonly token: string }>
  script(...replies: ReadonlyArray<FcmReply>): void
  /** Device tokens that FCM no longer knows: sends to them answer UNREGISTERED. */
  unregister(...tokens: ReadonlyArray<string>): void
}

export async function startFcmFake(projectId = "admin-kiosk-test"): Promise<FcmFake> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  })
  const clientEmail = `notifier@${projectId}.iam.gserviceaccount.com`
  const dir = await mkdtemp(join(tmpdir(), "fcm-fake-"))
  const credentialsFile = join(dir, "service-account.json")
  await writeFile(credentialsFile, JSON.stringify({
    type: "service_account", project_id: projectId, private_key_id: randomBytes(20).toString("hex"),
    private_key: privateKey, client_email: clientEmail, client_id: "1",
    token_uri: "https://oauth2.googleapis.com/token",
  }))

  const issued = new Set<string>()
  const sends: Array<FcmSend> = []
  const accepted: Array<{ name: string; token: string }> = []
  const queue: Array<FcmReply> = []
  const unregistered = new Set<string>()
  let tokenRequests = 0

  const googleError = (reply: Exclude<FcmReply, "accept">) => ({
    status: reply.httpStatus,
    json: {
      error: {
        code: reply.httpStatus, message: reply.message, status: reply.status,
        details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: reply.errorCode }],
      },
    },
  })

  const server = await startFakeServer((request: RecordedRequest) => {
    if (request.method === "POST" && request.path === "/token") {
      tokenRequests++
      const form = new URLSearchParams(request.body)
      const claims = verifiedClaims(form.get("assertion") ?? "", publicKey)
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer" || !claims || claims.iss !== clientEmail ||
        !String(claims.scope ?? "").includes("https://www.googleapis.com/auth/firebase.messaging")) {
        return { status: 400, json: { error: "invalid_grant", error_description: "Invalid JWT Signature." } }
      }
      const token = `ya29.${randomBytes(24).toString("base64url")}`
      issued.add(token)
      return { status: 200, json: { access_token: token, expires_in: 3599, token_type: "Bearer" } }
    }
    const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.path)
    if (request.method === "POST" && send) {
      const bearer = request.headers.authorization?.replace(/^Bearer /, "") ?? ""
      if (!issued.has(bearer)) {
        return googleError({ httpStatus: 401, status: "UNAUTHENTICATED", errorCode: "THIRD_PARTY_AUTH_ERROR", message: "Request had invalid authentication credentials." })
      }
      const { message } = JSON.parse(request.body) as { message: FcmSend["message"] }
      sends.push({ projectId: send[1]!, authorization: request.headers.authorization, message })
      if (send[1] !== projectId) return googleError({ httpStatus: 403, status: "PERMISSION_DENIED", errorCode: "SENDER_ID_MISMATCH", message: "SenderId mismatch" })
      if (message.token && unregistered.has(message.token)) return googleError(UNREGISTERED as Exclude<FcmReply, "accept">)
      const reply = queue.shift() ?? "accept"
      if (reply !== "accept") return googleError(reply)
      const name = `projects/${projectId}/messages/0:${Date.now()}%${randomBytes(8).toString("hex")}`
      accepted.push({ name, token: message.token ?? "" })
      return { status: 200, json: { name } }
    }
    return { status: 404, json: { error: { code: 404, message: "Not Found", status: "NOT_FOUND" } } }
  })

  return {
    ...server,
    projectId,
    credentialsFile,
    get tokenRequests() { return tokenRequests },
    sends,
    accepted,
    script: (...replies) => void queue.push(...replies),
    unregister: (...tokens) => tokens.forEach((t) => unregistered.add(t)),
  }
}

function verifiedClaims(jwt: string, publicKey: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = jwt.split(".")
  if (!header || !payload || !signature) return undefined
  const ok = verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"))
  return ok ? (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>) : undefined
}
