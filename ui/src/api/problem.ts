// RFC 9457 problem details, as the edge answers every error, turned into one typed error the UI can branch on.

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  /** Field-level validation messages, when the edge sends them. */
  errors?: ReadonlyArray<{ path?: string; message: string }>
  [extension: string]: unknown
}

export class ApiError extends Error {
  override readonly name = "ApiError"
  readonly status: number
  readonly problem: Problem
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title)
    this.status = problem.status
    this.problem = problem
  }
}

/** The request never got an answer (server down, offline, proxy could not connect). */
export class NetworkError extends Error {
  override readonly name = "NetworkError"
}

/**
 * The edge's field-level messages by field ("/password" → "password", "/contact/displayName" → "contact.displayName"),
 * from schema errors (400) and from rules about one field (a weak password, 422).
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(error instanceof ApiError)) return out
  for (const issue of error.problem.errors ?? []) {
    const field = (issue.path ?? "").replace(/^\//, "").replaceAll("/", ".")
    if (field && !(field in out)) out[field] = issue.message
  }
  return out
}

/** The estimator's advice in a weak-password refusal ("password: too easy to guess. <advice>"), or undefined. */
export function weakPasswordAdvice(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.problem.type.endsWith("/weak-password")) return undefined
  const message = fieldErrorsOf(error).password ?? error.problem.detail ?? ""
  return message.replace(/^[^:]*: too easy to guess\.\s*/u, "")
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

/** Reads an error response: problem+json when the edge sent one, else a problem made from the status line. */
export async function problemFrom(response: Response): Promise<ApiError> {
  const fallback: Problem = { type: "about:blank", title: response.statusText || `HTTP ${response.status}`, status: response.status }
  const text = await response.text().catch(() => "")
  let body: unknown
  try { body = text ? JSON.parse(text) : undefined } catch { body = undefined }
  if (!isRecord(body)) return new ApiError(text && text.length < 300 ? { ...fallback, detail: text } : fallback)
  const problem: Problem = {
    ...body,
    type: typeof body.type === "string" ? body.type : fallback.type,
    title: typeof body.title === "string" ? body.title : fallback.title,
    status: typeof body.status === "number" ? body.status : response.status,
  }
  if (typeof body.detail === "string") problem.detail = body.detail
  else if (typeof body.message === "string") problem.detail = body.message
  else delete problem.detail
  return new ApiError(problem)
}
