// `admin-kiosk users create`: makes an account from the command line, the only way to make the first admin
// (public sign-up makes operators only). The password comes on stdin, never in argv, shell history or `ps`.
import { CliError, defineCommand, parseOptions, UsageError } from "../command.ts"

const ROLES = ["admin", "operator", "auditor"] as const
type Role = (typeof ROLES)[number]

/** All of stdin, minus one trailing newline (what `echo` and here-strings add). */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError("--password-stdin reads the password from a pipe: printf '%s' \"$PW\" | admin-kiosk users create …")
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "")
}

export default defineCommand({
  name: "users create",
  summary: "Create a user (the first admin, or any role) with the password read from stdin",
  usage: `Usage: admin-kiosk users create --username NAME --password-stdin [--role admin|operator|auditor]

Creates the account on the write side (the USERS stream), as public sign-up would,
but with any role: this is how the first admin is made.

Options:
  --username NAME     3 to 40 letters, digits, '.', '_' or '-'
  --password-stdin    read the password from standard input (required): 10 to 200 characters,
                      and not easy to guess (the same policy as sign-up; README, "Sign-in limits")
  --role ROLE         admin, operator or auditor (default operator)
  --email ADDRESS     contact email for notifications (optional)

Prints the new user as one JSON line. Exit 1 if the username is taken or the password is refused.

Example:
  printf '%s' "$ADMIN_PASSWORD" | admin-kiosk users create --username root --password-stdin --role admin`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, {
      username: { type: "string" },
      "password-stdin": { type: "boolean", default: false },
      role: { type: "string", default: "operator" },
      email: { type: "string" },
    })
    if (values.username === undefined) throw new UsageError("--username is required")
    if (!values["password-stdin"]) throw new UsageError("--password-stdin is required (the password is never taken from argv)")
    if (!(ROLES as ReadonlyArray<string>).includes(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`)
    const settings = await ctx.settings()
    const password = await readStdin()

    const { Effect, ManagedRuntime, Schema } = await import("effect")
    const commands = await import("../../commands/index.ts")
    const { Email, Username } = await import("../../commands/index.ts")
    if (!Schema.is(Username)(values.username)) throw new UsageError("--username: 3 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit")
    if (values.email !== undefined && !Schema.is(Email)(values.email)) throw new UsageError("--email is not an email address")
    if ([...password].length < commands.MIN_PASSWORD_LENGTH || [...password].length > commands.MAX_PASSWORD_LENGTH) {
      throw new CliError(`the password must be ${commands.MIN_PASSWORD_LENGTH} to ${commands.MAX_PASSWORD_LENGTH} characters`)
    }

    const runtime = ManagedRuntime.make(commands.writeSideLayer(settings, "cli"))
    try {
      const context = { actor: commands.systemActor("cli"), correlationId: `cli-users-create-${Date.now()}` }
      const contact = values.email === undefined ? undefined : { email: values.email }
      const result = await runtime.runPromise(
        commands.registerUser({ username: values.username, password, role: values.role as Role, contact }, context).pipe(
          Effect.catchTags({
            Conflict: (e) => Effect.fail(new CliError(e.message)),
            // "password: too easy to guess. <the estimator's advice>"
            WeakPassword: (e) => Effect.fail(new CliError(e.message)),
          }),
        ),
      )
      process.stdout.write(`${JSON.stringify({ id: result.user.id, username: result.user.username, role: result.user.role, seq: result.seq })}\n`)
    } finally {
      await runtime.dispose()
    }
  },
})
