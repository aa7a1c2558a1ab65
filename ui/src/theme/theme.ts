// Light, dark, or whatever the system says; the choice is remembered on this device.
import { createSignal } from "solid-js"

export type ThemeChoice = "system" | "light" | "dark"
const KEY = "admin-kiosk.theme"

const stored = (): ThemeChoice => {
  const value = globalThis.localStorage?.getItem(KEY)
  return value === "light" || value === "dark" ? value : "system"
}

const systemDark = () => globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false

const [theme, setThemeSignal] = createSignal<ThemeChoice>(stored())
/** Whether the console is dark now (the choice, or the system's when the choice is "system"): canvases follow it. */
const [isDark, setDark] = createSignal(false)
export { isDark, theme }

function apply() {
  const dark = theme() === "dark" || (theme() === "system" && systemDark())
  setDark(dark)
  document.documentElement.classList.toggle("dark", dark)
}

export function setTheme(choice: ThemeChoice) {
  setThemeSignal(choice)
  if (choice === "system") localStorage.removeItem(KEY)
  else localStorage.setItem(KEY, choice)
  apply()
}

/** Applies the theme now and follows the system's changes while the choice is "system". */
export function startTheme() {
  apply()
  globalThis.matchMedia?.("(prefers-color-scheme: dark)").addEventListener("change", apply)
}
