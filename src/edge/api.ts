// The API's routes, one encapsulated plugin per room: registered by the edge app and by the OpenAPI document's
// builder (apiDocument.ts), so the document the console's types come from is exactly what the edge serves.
import type { FastifyInstance } from "fastify"
import type { Readiness } from "../platform/index.ts"
import { aiRoutes } from "./routes/ai.ts"
import { auditRoutes } from "./routes/audit.ts"
import { authRoutes } from "./routes/auth.ts"
import { kioskRoutes } from "./routes/kiosks.ts"
import { notifyRoutes } from "./routes/notify.ts"
import { paymentReadRoutes } from "./routes/paymentReads.ts"
import { paymentRoutes } from "./routes/payments.ts"
import { salesRoutes } from "./routes/sales.ts"
import { systemRoutes } from "./routes/system.ts"
import { userRoutes } from "./routes/users.ts"

export async function apiRoutes(app: FastifyInstance, options: { readonly readiness: Readiness }): Promise<void> {
  await app.register(authRoutes, { prefix: "/auth" })
  await app.register(userRoutes, { prefix: "/auth" })
  await app.register(kioskRoutes, { prefix: "/kiosks" })
  await app.register(paymentRoutes, { prefix: "/payments" })
  await app.register(paymentReadRoutes, { prefix: "/payments" })
  await app.register(salesRoutes, { prefix: "/sales" })
  await app.register(notifyRoutes, { prefix: "/notify" })
  await app.register(aiRoutes, { prefix: "/ai" })
  await app.register(auditRoutes, { prefix: "/audit" })
  await app.register(systemRoutes, { readiness: options.readiness })
}
