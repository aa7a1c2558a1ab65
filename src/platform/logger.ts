// Structured JSON logs (pino, the logger Fastify uses), one root logger per process; rooms take children.
import { pino, type Logger } from "pino"
import type { AppSettings } from "./config.ts"

export type { Logger }

export function makeLogger(settings: Pick<AppSettings, "logLevel" | "namespace">, name = "admin-kiosk"): Logger {
  return pino({
    name,
    level: settings.logLevel,
    base: { ns: settings.namespace, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["req.headers.authorization", "*.password", "*.token", "*.refreshToken", "*.deviceToken"], censor: "[redacted]" },
  })
}
