// What each role may do in the console (DESIGN.md "Roles"): what a role cannot do is not offered at all.
import type { Role } from "../api/types.ts"

const rules = {
  viewDashboard: ["admin", "operator", "auditor"],
  viewKiosks: ["admin", "operator", "auditor"],
  pairKiosk: ["admin", "operator"],
  registerKiosk: ["admin"],
  manageKiosk: ["admin"],
  viewPayments: ["admin", "operator", "auditor"],
  refundPayment: ["admin"],
  manageUsers: ["admin"],
  manageNotifications: ["admin"],
  manageOwnAccount: ["admin", "operator", "auditor"],
  viewRecommendations: ["admin", "operator", "auditor"],
  /** The whole fleet's forecast: operators see their own kiosks' only. */
  viewFleetForecast: ["admin", "auditor"],
  /** Replay, reconciliation and the seals of PAYMENTS (the edge's /audit). */
  audit: ["admin", "auditor"],
} as const satisfies Record<string, ReadonlyArray<Role>>

export type Action = keyof typeof rules

export const can = (role: Role | undefined, action: Action): boolean =>
  role !== undefined && (rules[action] as ReadonlyArray<Role>).includes(role)
