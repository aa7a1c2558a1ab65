// Reads of the audit trail are themselves recorded (PCI DSS 10.2): who (the envelope's actor), when (its time),
// what and which range, as an AuditTrailRead on AUDIT — before the data is handed out.
import { Effect } from "effect"
import { type Actor, type AuditTrailRead, EventStore } from "../commands/index.ts"
import { newId } from "../platform/index.ts"

export type AuditAccess = (typeof AuditTrailRead.Type)["data"]

export const recordAuditAccess = (actor: Actor, access: AuditAccess, correlationId = newId("cor")) =>
  Effect.flatMap(EventStore, (store) =>
    store.append("AUDIT", store.naming.subject.audit("access"), [{ type: "AuditTrailRead", data: access }], {
      expectedVersion: "any",
      context: { actor, correlationId },
    }))
