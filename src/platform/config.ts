// The one configuration module: every setting the processes read from the environment, validated at start.
import { Config, ConfigProvider, Context, Effect, Layer, Option, Redacted, Schema } from "effect"

// Prefixes streams, consumers, KV buckets and the database schema, so that parallel runs never share state.
const Namespace = Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9_]{0,30}$/, {
  message: "lower-case letters, digits and _, starting with a letter, at most 31 characters",
}))
const namespace = Config.schema(Namespace, "APP_NAMESPACE").pipe(Config.withDefault("ak"))

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
  jwtSecret: optionalSecret("JWT_SECRET"),
  deviceTokenKey: optionalSecret("DEVICE_TOKEN_KEY"),
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
  // Delivery: attempts per round before NotificationFailed, exponential back-off between them, one provider call's bound.
  notifyMaxAttempts: Config.Int("NOTIFY_MAX_ATTEMPTS").pipe(Config.withDefault(5)),
  notifyRetryBaseMs: Config.Int("NOTIFY_RETRY_BASE_MS").pipe(Config.withDefault(2_000)),
  notifyRetryMaxMs: Config.Int("NOTIFY_RETRY_MAX_MS").pipe(Config.withDefault(300_000)),
  notifySendTimeoutMs: Config.Int("NOTIFY_SEND_TIMEOUT_MS").pipe(Config.withDefault(15_000)),
})

type Raw = Config.Success<typeof spec>

export interface AppSettings extends Omit<Raw, "jwtSecret" | "deviceTokenKey"> {
  readonly jwtSecret: Redacted.Redacted<string>
  readonly deviceTokenKey: Redacted.Redacted<string>
}

export class ConfigInvalid extends Error {
  override readonly name = "ConfigInvalid"
}

// Development machines get fixed, clearly-labelled secrets so that tokens survive a restart; production refuses them.
const DEV_SECRET = "development-only-secret-do-not-use-in-production"

const finish = (raw: Raw): Effect.Effect<AppSettings, ConfigInvalid> => {
  const missing = (["jwtSecret", "deviceTokenKey"] as const).filter((k) => raw[k] === undefined)
  if (raw.env === "production") {
    if (missing.length > 0) {
      const names = missing.map((k) => (k === "jwtSecret" ? "JWT_SECRET" : "DEVICE_TOKEN_KEY")).join(", ")
      return Effect.fail(new ConfigInvalid(`${names} must be set when NODE_ENV=production`))
    }
    for (const [name, value] of [["JWT_SECRET", raw.jwtSecret], ["DEVICE_TOKEN_KEY", raw.deviceTokenKey]] as const) {
      if (value !== undefined && Redacted.value(value).length < 32) {
        return Effect.fail(new ConfigInvalid(`${name} must be at least 32 characters when NODE_ENV=production`))
      }
    }
  }
  return Effect.succeed({
    ...raw,
    jwtSecret: raw.jwtSecret ?? Redacted.make(`${DEV_SECRET}-jwt`),
    deviceTokenKey: raw.deviceTokenKey ?? Redacted.make(`${DEV_SECRET}-device`),
  })
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
