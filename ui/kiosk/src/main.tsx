import { render } from "solid-js/web"
import { App } from "./App.tsx"
import { locale } from "./i18n/i18n.ts"
import { registerServiceWorker } from "./offline/register.ts"
import "./styles.css"

document.documentElement.lang = locale()
// Dark or light as the system says: a kiosk has no one to pick a theme.
document.documentElement.classList.toggle("dark", matchMedia("(prefers-color-scheme: dark)").matches)
registerServiceWorker()
render(() => <App />, document.getElementById("root")!)
