// Fastify gives every request a child of the edge's logger, and pino makes a child by serialising its bindings
// through the redaction rules: ~2 % of what a payment allocated, for a logger most requests never write to (the
// access log samples one in a thousand). This child is made on the first line a request actually writes.
import type { FastifyBaseLogger, FastifyLogFn, FastifyServerOptions } from "fastify"
import type { Bindings, ChildLoggerOptions } from "pino"

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace"

/** pino's numbers: a line is written when its level's number is at least the logger's. */
const RANK: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY }

class RequestLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #made: FastifyBaseLogger | undefined

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get level(): string {
    return this.#made?.level ?? this.#options.level ?? this.#parent.level
  }

  set level(level: string) {
    this.#logger().level = level
  }

  #logger(): FastifyBaseLogger {
    this.#made ??= this.#parent.child(this.#bindings, this.#options)
    return this.#made
  }

  #write(level: Level, args: ReadonlyArray<unknown>): void {
    if ((RANK[level] ?? 0) < (RANK[this.level] ?? 0)) return
    const logger = this.#logger()
    Reflect.apply(logger[level], logger, args)
  }

  fatal: FastifyLogFn = (...args: ReadonlyArray<unknown>) => this.#write("fatal", args)
  error: FastifyLogFn = (...args: ReadonlyArray<unknown>) => this.#write("error", args)
  warn: FastifyLogFn = (...args: ReadonlyArray<unknown>) => this.#write("warn", args)
  info: FastifyLogFn = (...args: ReadonlyArray<unknown>) => this.#write("info", args)
  debug: FastifyLogFn = (...args: ReadonlyArray<unknown>) => this.#write("debug", args)
  trace: FastifyLogFn = (...args: ReadonlyArray<unknown>) => this.#write("trace", args)
  silent: FastifyLogFn = () => {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger().child(bindings, options)
  }
}

export const requestLoggerFactory: NonNullable<FastifyServerOptions["childLoggerFactory"]> = (logger, bindings, options) =>
  new RequestLogger(logger, bindings, options)
