// The notifier's public surface: run it, ask it for a test email or a retry, list its outbox, render a template.
export { type NotifierOptions, type RunningNotifier, startNotifier } from "./worker.ts"
export { testEmail } from "./rules.ts"
export { listOutbox, openOutbox, type OutboxEntry } from "./channels/index.ts"
export { isTemplate, render, type Rendered, TEMPLATES, type TemplateName } from "./templates.ts"
