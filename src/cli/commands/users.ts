// `admin-kiosk users create`: makes an account from the command line, the only way to make the first admin
// (public sign-up makes operators only). `users reset-password`: a new password for someone who forgot theirs (the
// last admin included), ending all their sessions. Passwords come on stdin, never in argv, shell history or `ps`.
import { CliError, defineCommand, parseOptions, UsageError } from "../command.ts"

const ROLES = ["admin", "operator", "auditor"] as const
type Role = (typeof ROLES)[number]

/** All of stdin, minus one trailing newline (what `echo` and here-strings add). */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError("--password-stdin reads the password from a pipe: printf '%s' \"$PW\" | admin-kiosk users …")
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "")
}

/** The password read from stdin, within the lengths every password must have. */
async function passwordFromStdin(): Promise<string> {
  const password = await readStdin()
  const { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } = await import("../../commands/index.ts")
  if ([...password].length < MIN_PASSWORD_LENGTH || [...password].length > MAX_PASSWORD_LENGTH) {
    throw new CliError(`the password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`)
  }
  return password
}

const usersCreate = defineCommand({
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
    const password = await passwordFromStdin()

    const { Effect, Schema } = await import("effect")
    const commands = await import("../../commands/index.ts")
    const { Email, Username } = await import("../../commands/index.ts")
    if (!Schema.is(Username)(values.username)) throw new UsageError("--username: 3 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit")
    if (values.email !== undefined && !Schema.is(Email)(values.email)) throw new UsageError("--email is not an email address")

    const runtime = await ctx.runtime()
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
  },
})

const usersResetPassword = defineCommand({
  name: "users reset-password",
  summary: "Set a new password for a user who forgot theirs (read from stdin); all their sessions end",
  usage: `Usage: admin-kiosk users reset-password --username NAME --password-stdin

Sets a new password on the write side (a UserPasswordReset event on the USERS stream) and ends every session of the
user: their refresh tokens stop working and their open live connections close. The way back in for an admin who
forgot their password; other users can also be reset by an admin in the console.

Options:
  --username NAME     the account
  --password-stdin    read the new password from standard input (required); the same policy as sign-up

Prints the user as one JSON line. Exit 1 if there is no such active user or the password is refused.

Example:
  printf '%s' "$NEW_PASSWORD" | admin-kiosk users reset-password --username root --password-stdin`,

  async run(argv, ctx) {
    const { values } = parseOptions(argv, { username: { type: "string" }, "password-stdin": { type: "boolean", default: false } })
    if (values.username === undefined) throw new UsageError("--username is required")
    if (!values["password-stdin"]) throw new UsageError("--password-stdin is required (the password is never taken from argv)")
    const settings = await ctx.settings()
    const password = await passwordFromStdin()

    const { Effect } = await import("effect")
    const commands = await import("../../commands/index.ts")
    const [{ openSessionStore, SESSIONS_BUCKET }, { naming, Nats }] = await Promise.all([
      import("../../edge/index.ts"), import("../../platform/index.ts"),
    ])
    const runtime = await ctx.runtime()
    const context = { actor: commands.systemActor("cli"), correlationId: `cli-users-reset-password-${Date.now()}` }
    const userId = commands.userIdFor(values.username)
    const result = await runtime.runPromise(
      commands.resetUserPassword(userId, password, context).pipe(
        Effect.catchTags({
          NotFound: () => Effect.fail(new CliError(`no user "${values.username}"`)),
          Forbidden: (e) => Effect.fail(new CliError(e.message)),
          WeakPassword: (e) => Effect.fail(new CliError(e.message)),
        }),
      ),
    )
    const { kvm } = await runtime.runPromise(Nats)
    const sessions = await openSessionStore({ kvm, bucket: naming(settings.namespace).bucket(SESSIONS_BUCKET), replicas: settings.streamReplicas })
    await sessions.revokeUser(userId, "all")
    process.stdout.write(`${JSON.stringify({ id: result.user.id, username: result.user.username, role: result.user.role, seq: result.seq, sessionsEnded: true })}\n`)
  },
})

export default [usersCreate, usersResetPassword]
