// The read models' migrations, in order. Listed here (not read from the folder) so the same list works under
// `node` on .ts files and from a compiled dist/.
import type { Migration } from "kysely/migration"
import * as checkpoints from "./0001_checkpoints.ts"
import * as users from "./0002_users.ts"
import * as kiosks from "./0003_kiosks.ts"
import * as payments from "./0004_payments.ts"
import * as notifications from "./0005_notifications.ts"
import * as notificationDelivery from "./0006_notification_delivery.ts"
import * as operatorSales from "./0007_operator_sales.ts"
import * as forecasts from "./0008_forecasts.ts"
import * as parkedEvents from "./0009_parked_events.ts"
import * as recommendations from "./0010_recommendations.ts"

export const MIGRATIONS: Record<string, Migration> = {
  "0001_checkpoints": checkpoints,
  "0002_users": users,
  "0003_kiosks": kiosks,
  "0004_payments": payments,
  "0005_notifications": notifications,
  "0006_notification_delivery": notificationDelivery,
  "0007_operator_sales": operatorSales,
  "0008_forecasts": forecasts,
  "0009_parked_events": parkedEvents,
  "0010_recommendations": recommendations,
}
