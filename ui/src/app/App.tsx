// Routes: /login and /signup are open; everything else needs a session and, per page, a role allowed to use it.
import { Navigate, Route, Router, useLocation, useNavigate, type RouteSectionProps } from "@solidjs/router"
import { lazy, Show, type JSX } from "solid-js"
import { can, type Action } from "../auth/permissions.ts"
import { Layout } from "../components/Layout.tsx"
import { Notice } from "../components/Feedback.tsx"
import { t } from "../i18n/i18n.ts"
import { appPath, ROUTER_BASE } from "./base.ts"
import { AppProvider, createApp, loginPathFor, useApp } from "./context.tsx"

const Login = lazy(() => import("../pages/Login.tsx"))
const SignUp = lazy(() => import("../pages/SignUp.tsx"))
const Dashboard = lazy(() => import("../pages/Dashboard.tsx"))
const Kiosks = lazy(() => import("../pages/Kiosks.tsx"))
const KioskDetail = lazy(() => import("../pages/KioskDetail.tsx"))
const RegisterKiosk = lazy(() => import("../pages/RegisterKiosk.tsx"))
const Pair = lazy(() => import("../pages/Pair.tsx"))
const Payments = lazy(() => import("../pages/Payments.tsx"))
const PaymentDetail = lazy(() => import("../pages/PaymentDetail.tsx"))
const Recommendations = lazy(() => import("../pages/Recommendations.tsx"))
const Audit = lazy(() => import("../pages/Audit.tsx"))
const Users = lazy(() => import("../pages/Users.tsx"))
const Notifications = lazy(() => import("../pages/Notifications.tsx"))
const Account = lazy(() => import("../pages/Account.tsx"))
const NotFound = lazy(() => import("../pages/NotFound.tsx"))

/** The router's root: routes an expired session to the login page, keeping where the user was. */
function Root(props: RouteSectionProps) {
  const app = useApp()
  const navigate = useNavigate()
  const location = useLocation()
  app.setSessionExpiredHandler(() => navigate(loginPathFor(appPath(location.pathname) + location.search, true), { replace: true }))
  return <>{props.children}</>
}

function SignedIn(props: RouteSectionProps) {
  const app = useApp()
  const location = useLocation()
  return (
    <Show when={app.session.user()} fallback={<Navigate href={loginPathFor(appPath(location.pathname) + location.search)} />}>
      <Layout {...props} />
    </Show>
  )
}

/** A page only some roles may open: the others, who got here by typing the address, are told so. */
function allowed(action: Action, page: () => JSX.Element) {
  return () => {
    const app = useApp()
    return (
      <Show when={can(app.session.user()?.role, action)} fallback={<Notice tone="warning">{t("error.forbidden")}</Notice>}>
        {page()}
      </Show>
    )
  }
}

export function App() {
  const app = createApp()
  return (
    <AppProvider app={app}>
      <Router root={Root} base={ROUTER_BASE}>
        <Route path="/login" component={Login} />
        <Route path="/signup" component={SignUp} />
        <Route path="/" component={SignedIn}>
          <Route path="/" component={allowed("viewDashboard", () => <Dashboard />)} />
          <Route path="/kiosks" component={allowed("viewKiosks", () => <Kiosks />)} />
          <Route path="/kiosks/new" component={allowed("registerKiosk", () => <RegisterKiosk />)} />
          <Route path="/kiosks/:id" component={allowed("viewKiosks", () => <KioskDetail />)} />
          <Route path="/pair" component={allowed("pairKiosk", () => <Pair />)} />
          <Route path="/payments" component={allowed("viewPayments", () => <Payments />)} />
          <Route path="/payments/:id" component={allowed("viewPayments", () => <PaymentDetail />)} />
          <Route path="/recommendations" component={allowed("viewRecommendations", () => <Recommendations />)} />
          <Route path="/audit" component={allowed("audit", () => <Audit />)} />
          <Route path="/users" component={allowed("manageUsers", () => <Users />)} />
          <Route path="/notifications" component={allowed("manageNotifications", () => <Notifications />)} />
          <Route path="/account" component={allowed("manageOwnAccount", () => <Account />)} />
          <Route path="*404" component={NotFound} />
        </Route>
      </Router>
    </AppProvider>
  )
}
