import { render } from "solid-js/web"
import { App } from "./app/App.tsx"
import { locale } from "./i18n/i18n.ts"
import { startTheme } from "./theme/theme.ts"
import "./styles.css"

startTheme()
document.documentElement.lang = locale()
render(() => <App />, document.getElementById("root")!)
