// Every read model the engine runs, by name: what `projections rebuild <name|all>` and `status` list.
import type { Projection } from "./engine/projection.ts"
import { kioskHeartbeatsProjection, kiosksProjection } from "./kiosks/projector.ts"
import { notificationsProjection } from "./notifications/projector.ts"
import { offlinePeriodsProjection } from "./offlinePeriods/projector.ts"
import { paymentsProjection } from "./payments/projector.ts"
import { usersProjection } from "./users/projector.ts"

export const PROJECTIONS: ReadonlyArray<Projection> = [
  usersProjection, kiosksProjection, kioskHeartbeatsProjection, paymentsProjection, notificationsProjection,
  offlinePeriodsProjection,
]

export const PROJECTION_NAMES = PROJECTIONS.map((p) => p.name)

export const projectionNamed = (name: string): Projection | undefined => PROJECTIONS.find((p) => p.name === name)
