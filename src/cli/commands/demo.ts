import { defineCommand, parseOptions, UsageError } from "../command.ts"

export default defineCommand({
  name: "demo seed",
  summary: "Append a realistic synthetic history (kiosks, operators, sales, refunds, outages)",
  usage: `admin-kiosk demo seed [--kiosks N] [--days D] [--seed S] [--currency EUR] [--operator-password P]

Registers N kiosks (codes DEMO-0001…) and ⌈N/3⌉ operators (demo-operator-1…), pairs them, and records D days of
sales ending today through the real command path: weekly and yearly seasonality, trend, holidays, noise,
outages (offline/online alerts, no sales meanwhile) and refunds. Deterministic for a seed; idempotency keys make a
second run append nothing new.

  --kiosks N              kiosks to create (default 6)
  --days D                days of history (default 60)
  --seed S                random seed (default 1)
  --currency C            ISO 4217 currency (default EUR)
  --operator-password P   password of the demo operators (default demo-operator-password)
  --concurrency C         commands in flight (default 32)`,
  async run(argv, ctx) {
    const { values } = parseOptions(argv, {
      kiosks: { type: "string", default: "6" },
      days: { type: "string", default: "60" },
      seed: { type: "string", default: "1" },
      currency: { type: "string", default: "EUR" },
      "operator-password": { type: "string", default: "demo-operator-password" },
      concurrency: { type: "string", default: "32" },
    })
    const number = (name: string, value: string, max: number) => {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`)
      return n
    }
    const { isCurrency } = await import("../../commands/index.ts")
    if (!isCurrency(values.currency)) throw new UsageError(`--currency: "${values.currency}" is not an ISO 4217 code`)
    const options = {
      kiosks: number("kiosks", values.kiosks, 500),
      days: number("days", values.days, 3_650),
      seed: number("seed", values.seed, 2 ** 31),
      currency: values.currency,
      operatorPassword: values["operator-password"],
      concurrency: number("concurrency", values.concurrency, 512),
    }
    if (options.operatorPassword.length < 10) throw new UsageError("--operator-password needs at least 10 characters")

    const [{ Effect }, { appendedNothing, seedDemo }, { startProgress }] = await Promise.all([
      import("effect"), import("../demo/seed.ts"), import("../progress.ts"),
    ])
    const runtime = await ctx.runtime()
    let progress: ReturnType<typeof startProgress> | undefined
    try {
      const report = await runtime.runPromise(seedDemo({
        ...options,
        onProgress: (done, total) => {
          progress ??= startProgress({ label: "demo seed", total, unit: "sales" })
          progress.update(done)
        },
      }).pipe(Effect.catchTag("WeakPassword", (e) => Effect.fail(new UsageError(`--operator-password: ${e.message}`)))), { signal: ctx.signal })
      progress?.stop()
      process.stdout.write(
        (appendedNothing(report)
          ? `Nothing to append: the ${report.alreadyThere} sales of this history up to now are already recorded.\n`
          : `Appended ${report.kiosks} new kiosks, ${report.payments} payments, ${report.refunds} refunds, ${report.outages} outages` +
            `${report.alreadyThere > 0 ? ` (${report.alreadyThere} sales were already recorded)` : ""}.\n`) +
        `Operators: ${report.operators.join(", ")} (password: ${options.operatorPassword})\n`,
      )
    } finally {
      progress?.stop()
    }
  },
})
