import { A } from "@solidjs/router"
import { t } from "../i18n/i18n.ts"

export default function NotFound() {
  return (
    <section class="space-y-3">
      <h1 class="text-2xl font-semibold">{t("app.notFound")}</h1>
      <A href="/" class="text-brand-700 underline dark:text-indigo-300">{t("app.backHome")}</A>
    </section>
  )
}
