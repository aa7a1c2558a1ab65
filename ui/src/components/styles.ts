// The few class lists every page shares, so buttons and fields look and behave alike (focus rings, contrast).
export const button =
  "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60"
export const primaryButton = `${button} bg-brand-600 text-white hover:bg-brand-700`
export const secondaryButton =
  `${button} border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700`
export const dangerButton = `${button} bg-red-700 text-white hover:bg-red-800`
export const input =
  "block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 placeholder:text-slate-500 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100"
export const card = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-700 dark:bg-slate-900"
export const heading = "text-2xl font-semibold tracking-tight"
export const sectionHeading = "text-lg font-semibold"
export const muted = "text-sm text-slate-600 dark:text-slate-400"
export const table = "stack-on-phone min-w-full divide-y divide-slate-200 text-left text-sm dark:divide-slate-700"
export const th = "px-3 py-2 font-semibold text-slate-700 dark:text-slate-300"
export const td = "px-3 py-2 align-top"
