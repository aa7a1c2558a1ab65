// The frame of every signed-in page: skip link, header with language/theme/live state, and the navigation a
// role is allowed to use (nothing else is offered). On phones the navigation folds behind a menu button.
import { A, useLocation, useNavigate, type RouteSectionProps } from "@solidjs/router"
import { createEffect, createSignal, For, Show } from "solid-js"
import { useApp } from "../app/context.tsx"
import { can, type Action } from "../auth/permissions.ts"
import { LOCALES, locale, setLocale, t, type Locale } from "../i18n/i18n.ts"
import type { MessageKey } from "../i18n/en.ts"
import { setTheme, theme, type ThemeChoice } from "../theme/theme.ts"
import { LiveIndicator } from "./LiveIndicator.tsx"
import { Notice } from "./Feedback.tsx"

const links: ReadonlyArray<{ href: string; label: MessageKey; action: Action; end?: boolean }> = [
  { href: "/", label: "nav.dashboard", action: "viewDashboard", end: true },
  { href: "/kiosks", label: "nav.kiosks", action: "viewKiosks", end: true },
  { href: "/pair", label: "nav.pair", action: "pairKiosk" },
  { href: "/kiosks/new", label: "nav.registerKiosk", action: "registerKiosk" },
  { href: "/payments", label: "nav.payments", action: "viewPayments" },
  { href: "/recommendations", label: "nav.recommendations", action: "viewRecommendations" },
  { href: "/audit", label: "nav.audit", action: "audit" },
  { href: "/users", label: "nav.users", action: "manageUsers" },
  { href: "/notifications", label: "nav.notifications", action: "manageNotifications" },
  { href: "/account", label: "nav.account", action: "manageOwnAccount" },
]

const control = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800"

export function Layout(props: RouteSectionProps) {
  const app = useApp()
  const navigate = useNavigate()
  const location = useLocation()
  const [menuOpen, setMenuOpen] = createSignal(false)
  const role = () => app.session.user()?.role
  createEffect(() => { void location.pathname; setMenuOpen(false) })

  const logout = async () => {
    await app.api.auth.logout().catch(() => undefined)
    navigate("/login", { replace: true })
  }

  return (
    <div class="min-h-screen">
      <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900">
        {t("app.skip")}
      </a>
      <header class="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div class="mx-auto flex max-w-7xl flex-wrap items-center gap-3 px-4 py-3">
          <button type="button" class="rounded-md border border-slate-300 px-2 py-1 text-sm md:hidden dark:border-slate-600"
            aria-expanded={menuOpen()} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen())}>
            {t("app.menu")}
          </button>
          <A href="/" class="text-lg font-bold text-brand-700 dark:text-indigo-300">{t("app.name")}</A>
          <div class="ml-auto flex flex-wrap items-center gap-3">
            <LiveIndicator state={app.live.state()} />
            <label class="sr-only" for="language">{t("app.language")}</label>
            <select id="language" class={control} value={locale()} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
              <For each={LOCALES}>{(code) => <option value={code}>{code === "en" ? "English" : "Español"}</option>}</For>
            </select>
            <label class="sr-only" for="theme">{t("app.theme")}</label>
            <select id="theme" class={control} value={theme()} onChange={(e) => setTheme(e.currentTarget.value as ThemeChoice)}>
              <option value="system">{t("app.theme.system")}</option>
              <option value="light">{t("app.theme.light")}</option>
              <option value="dark">{t("app.theme.dark")}</option>
            </select>
            <Show when={app.session.user()}>
              {(user) => (
                <span class="hidden text-sm text-slate-600 sm:inline dark:text-slate-400">
                  {t("app.signedInAs", { name: user().contact?.displayName ?? user().username, role: t(`role.${user().role}`) })}
                </span>
              )}
            </Show>
            <button type="button" class={control} onClick={() => void logout()}>{t("app.logout")}</button>
          </div>
        </div>
      </header>
      <div class="mx-auto flex max-w-7xl flex-col md:flex-row">
        <nav id="main-nav" aria-label={t("nav.main")}
          class={`${menuOpen() ? "block" : "hidden"} border-b border-slate-200 px-4 py-3 md:block md:w-56 md:shrink-0 md:border-b-0 md:border-r dark:border-slate-800`}>
          <ul class="space-y-1">
            <For each={links.filter((link) => can(role(), link.action))}>
              {(link) => (
                <li>
                  <A href={link.href} end={link.end ?? false}
                    class="block rounded-md px-3 py-2 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
                    activeClass="bg-brand-50 font-semibold text-brand-700 dark:bg-slate-800 dark:text-indigo-300">
                    {t(link.label)}
                  </A>
                </li>
              )}
            </For>
          </ul>
        </nav>
        <main id="main" tabindex="-1" class="min-w-0 flex-1 space-y-4 px-4 py-6">
          <Show when={!app.reachable()}><Notice tone="warning">{t("app.offline")}</Notice></Show>
          {props.children}
        </main>
      </div>
    </div>
  )
}
