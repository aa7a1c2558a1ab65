// The one configuration module: every setting the processes read from the environment, validated at start.
import { Config, ConfigProvider, Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { estimateSecretBits } from "./secretStrength.ts"

// Prefixes streams, consumers, KV buckets and the database schema, so that parallel runs never share state.
const Namespace = Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9_]{0,30}$/, {
  message: "lower-case letters, digits and _, starting with a letter, at most 31 characters",
}))
const namespace = Config.schema(Namespace, "APP_NAMESPACE").pipe(Config.withDefault("ak"))

// 0 lets the OS pick a free port (tests run many processes side by side); the chosen one is logged.
const portOrAny = (name: string) => Config.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 65535 })), name)
// JetStream keeps 1 to 5 copies of a stream; 3 (a quorum of 2) is the production setting.
const replicas = Config.schema(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 5 })), "STREAM_REPLICAS")
// How old a payment or heartbeat a kiosk may still send, in days.
const ForwardWindowDays = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 3_650 }))

// A key id travels in a message header beside its MAC: short, printable, no separators.
const KeyId = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9._-]{1,32}$/, { message: "1 to 32 letters, digits, '.', '_' or '-'" }))

const csv = (name: string) =>
  Config.String(name).pipe(Config.withDefault(""), Config.map((s) => s.split(",").map((x) => x.trim()).filter(Boolean)))

const optionalString = (name: string) => Config.option(Config.String(name)).pipe(Config.map(Option.getOrUndefined))
const optionalSecret = (name: string) => Config.option(Config.Redacted(name)).pipe(Config.map(Option.getOrUndefined))

const spec = Config.all({
  env: Config.Literals(["development", "test", "production"] as const, "NODE_ENV").pipe(Config.withDefault("development")),
  namespace,
  natsUrl: Config.String("NATS_URL").pipe(Config.withDefault("nats://127.0.0.1:4222")),
  databaseUrl: Config.String("DATABASE_URL").pipe(Config.withDefault("postgres://postgres@127.0.0.1:5432/postgres")),
  host: Config.String("HOST").pipe(Config.withDefault("127.0.0.1")),
  port: Config.Port("PORT").pipe(Config.withDefault(8080)),
  // The ops port every role serves: /healthz, /readyz and /metrics, for probes and Prometheus, never public.
  metricsPort: portOrAny("METRICS_PORT").pipe(Config.withDefault(9464)),
  streamReplicas: replicas.pipe(Config.withDefault(1)),
  jwtSecret: optionalSecret("JWT_SECRET"),
  deviceTokenKey: optionalSecret("DEVICE_TOKEN_KEY"),
  // The write side's MAC key for payment events and seals, its id (stored beside each MAC) and the retired keys
  // still needed to verify older events after a rotation: "id:key,id:key".
  auditKey: optionalSecret("AUDIT_KEY"),
  auditKeyId: Config.schema(KeyId, "AUDIT_KEY_ID").pipe(Config.withDefault("k1")),
  auditKeysPrevious: optionalSecret("AUDIT_KEYS_PREVIOUS"),
  // The sealer seals PAYMENTS every this many events, or this often when fewer arrived (nothing new: no seal).
  sealEveryEvents: Config.schema(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1_000_000 })), "SEAL_EVERY_EVENTS").pipe(Config.withDefault(1_000)),
  // The reconciler compares PAYMENTS with the payments read model this often (and records the result on AUDIT).
  reconcileEveryHours: Config.schema(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 720 })), "RECONCILE_EVERY_HOURS").pipe(Config.withDefault(24)),
  sealEverySeconds: Config.schema(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 86_400 })), "SEAL_EVERY_SECONDS").pipe(Config.withDefault(300)),
  logLevel: Config.Literals(["trace", "debug", "info", "warn", "error", "fatal"] as const, "LOG_LEVEL").pipe(Config.withDefault("info")),
  publicRegistration: Config.Boolean("PUBLIC_REGISTRATION").pipe(Config.withDefault(true)),
  corsOrigins: csv("CORS_ORIGINS"),
  smtpUrl: optionalString("SMTP_URL"),
  mailFrom: Config.String("MAIL_FROM").pipe(Config.withDefault("Admin Kiosk <no-reply@admin-kiosk.local>")),
  twilioAccountSid: optionalString("TWILIO_ACCOUNT_SID"),
  twilioAuthToken: optionalSecret("TWILIO_AUTH_TOKEN"),
  twilioFrom: optionalString("TWILIO_FROM"),
  twilioApiBase: optionalString("TWILIO_API_BASE"),
  fcmProjectId: optionalString("FCM_PROJECT_ID"),
  googleCredentials: optionalString("GOOGLE_APPLICATION_CREDENTIALS"),
  fcmApiBase: optionalString("FCM_API_BASE"),
  largePaymentAlertMinor: Config.Int("LARGE_PAYMENT_ALERT_MINOR").pipe(Config.withDefault(50_000)),
  heartbeatTimeoutSeconds: Config.Int("HEARTBEAT_TIMEOUT_SECONDS").pipe(Config.withDefault(180)),
  // How old a payment or heartbeat a kiosk may still send: an offline kiosk forwards its backlog when it is back.
  kioskForwardWindowDays: Config.schema(ForwardWindowDays, "KIOSK_FORWARD_WINDOW_DAYS").pipe(Config.withDefault(90)),
  // Delivery: attempts per round before NotificationFailed, exponential back-off between them, one provider call's bound.
  notifyMaxAttempts: Config.Int("NOTIFY_MAX_ATTEMPTS").pipe(Config.withDefault(5)),
  notifyRetryBaseMs: Config.Int("NOTIFY_RETRY_BASE_MS").pipe(Config.withDefault(2_000)),
  notifyRetryMaxMs: Config.Int("NOTIFY_RETRY_MAX_MS").pipe(Config.withDefault(300_000)),
  notifySendTimeoutMs: Config.Int("NOTIFY_SEND_TIMEOUT_MS").pipe(Config.withDefault(15_000)),
})

type Raw = Config.Success<typeof spec>

type KeySetting = "jwtSecret" | "deviceTokenKey" | "auditKey"

export interface AppSettings extends Omit<Raw, KeySetting | "auditKeysPrevious"> {
  readonly jwtSecret: Redacted.Redacted<string>
  readonly deviceTokenKey: Redacted.Redacted<string>
  readonly auditKey: Redacted.Redacted<string>
  /** Retired audit keys by id, for verifying what they signed. */
  readonly auditKeysPrevious: ReadonlyMap<string, Redacted.Redacted<string>>
}

export class ConfigInvalid extends Error {
  override readonly name = "ConfigInvalid"
}

// Development machines get fixed, clearly-labelled keys so that tokens survive a restart. They are published here,
// so production refuses them (and any other key that could be guessed).
const DEV_SECRET = "development-only-secret-do-not-use-in-production"

/** Each key the processes sign or MAC with: its variable, its setting and the development value it falls back to. */
const KEYS = [
  { variable: "JWT_SECRET", setting: "jwtSecret", development: `${DEV_SECRET}-jwt` },
  { variable: "DEVICE_TOKEN_KEY", setting: "deviceTokenKey", development: `${DEV_SECRET}-device` },
  { variable: "AUDIT_KEY", setting: "auditKey", development: `${DEV_SECRET}-audit` },
] as const satisfies ReadonlyArray<{ variable: string; setting: KeySetting; development: string }>

/** The development values above: published in this source, so never acceptable as a production key. */
export const DEVELOPMENT_KEYS: ReadonlyArray<string> = [DEV_SECRET, ...KEYS.map((k) => k.development)]
export const MIN_KEY_LENGTH = 32
// The placeholders deployment templates ship (infra/k8s/config.yaml's CHANGE_ME_…): left in, they are public too.
const PLACEHOLDER = /change[-_ ]?me|replace[-_ ]?me|placeholder/iu
/** Below this many estimated bits (see secretStrength.ts) a key has visible structure; generated keys score 88+. */
export const MIN_KEY_BITS = 80

/**
 * Why a set of production keys is unsafe, as one line naming the variable, or undefined when every key is fine.
 * Each key must be set, at least 32 characters, none of the published development values, not guessable, and
 * different from every other key (one leaked key must not unlock the others).
 */
export function weakProductionKey(keys: ReadonlyArray<{ readonly variable: string; readonly value: string | undefined }>): string | undefined {
  const missing = keys.filter((k) => k.value === undefined).map((k) => k.variable)
  if (missing.length > 0) return `${missing.join(", ")}: must be set when NODE_ENV=production`
  for (const [index, { variable, value = "" }] of keys.entries()) {
    const length = [...value].length
    if (length < MIN_KEY_LENGTH) return `${variable}: must be at least ${MIN_KEY_LENGTH} characters when NODE_ENV=production (it has ${length})`
    if (DEVELOPMENT_KEYS.includes(value)) return `${variable}: is a published development value; generate a key (openssl rand -base64 32)`
    if (PLACEHOLDER.test(value)) return `${variable}: is a placeholder; generate a key (openssl rand -base64 32)`
    const bits = estimateSecretBits(value)
    if (bits < MIN_KEY_BITS) {
      return `${variable}: is too easy to guess (about ${Math.floor(bits)} bits, at least ${MIN_KEY_BITS} needed); generate a key (openssl rand -base64 32)`
    }
    const twin = keys.slice(0, index).find((other) => other.value === value)
    if (twin !== undefined) return `${variable}: must differ from ${twin.variable}; give each key its own value`
  }
  return undefined
}

const finish = (raw: Raw): Effect.Effect<AppSettings, ConfigInvalid> => {
  if (raw.env === "production") {
    const weak = weakProductionKey(KEYS.map(({ variable, setting }) => {
      const value = raw[setting]
      return { variable, value: value === undefined ? undefined : Redacted.value(value) }
    }))
    if (weak !== undefined) return Effect.fail(new ConfigInvalid(weak))
  }
  const key = (setting: KeySetting) => raw[setting] ?? Redacted.make(KEYS.find((k) => k.setting === setting)!.development)
  const previous = previousAuditKeys(raw.auditKeysPrevious === undefined ? "" : Redacted.value(raw.auditKeysPrevious), raw.auditKeyId)
  if (typeof previous === "string") return Effect.fail(new ConfigInvalid(`AUDIT_KEYS_PREVIOUS: ${previous}`))
  return Effect.succeed({ ...raw, jwtSecret: key("jwtSecret"), deviceTokenKey: key("deviceTokenKey"), auditKey: key("auditKey"), auditKeysPrevious: previous })
}

/** "id:key,id:key" → a map, or why it is malformed (never showing a key). */
function previousAuditKeys(text: string, currentId: string): ReadonlyMap<string, Redacted.Redacted<string>> | string {
  const keys = new Map<string, Redacted.Redacted<string>>()
  for (const [index, entry] of text.split(",").map((e) => e.trim()).filter(Boolean).entries()) {
    const colon = entry.indexOf(":")
    const id = entry.slice(0, colon)
    if (colon < 1 || !/^[A-Za-z0-9._-]{1,32}$/.test(id) || entry.length === colon + 1) return `entry ${index + 1} is not id:key`
    if (id === currentId || keys.has(id)) return `key id ${id} appears twice (AUDIT_KEY_ID is ${currentId})`
    keys.set(id, Redacted.make(entry.slice(colon + 1)))
  }
  return keys
}

/** Reads and validates the settings from an environment-like record; a bad value fails with one line naming it. */
export const readSettings = (env: Record<string, string | undefined> = process.env) =>
  spec.parse(ConfigProvider.fromEnv({ env: dropEmpty(env) })).pipe(
    Effect.mapError((e) => (e instanceof ConfigInvalid ? e : new ConfigInvalid(describe(e)))),
    Effect.flatMap(finish),
  )

function dropEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") out[k] = v
  return out
}

// "SchemaError(Expected … at ["PORT"])" becomes "PORT: Expected …": the variable's name first.
function describe(error: unknown): string {
  const text = String(error).replace(/\s+/g, " ").trim()
  const found = /^(?:ConfigError\()?(?:SchemaError\()?(.*?) at \["([A-Z_]+)"\]\)*$/.exec(text)
  return found ? `${found[2]}: ${found[1]}` : `invalid configuration: ${text}`
}

export class Settings extends Context.Service<Settings, AppSettings>()("admin-kiosk/platform/Settings") {
  static readonly layer = Layer.effect(Settings, readSettings())
  static readonly layerFrom = (env: Record<string, string | undefined>) => Layer.effect(Settings, readSettings(env))
}

/**
 * Every environment variable the settings read, found by reading them through a provider that records each
 * lookup; the deployment check holds compose and Kubernetes against this list.
 */
export function settingsVariables(): ReadonlyArray<string> {
  const seen = new Set<string>()
  const recorder = ConfigProvider.make((path) => {
    seen.add(path.join("_"))
    return Effect.succeed(undefined)
  })
  Effect.runSync(Effect.ignore(spec.parse(recorder)))
  return [...seen].sort()
}
