// An append's headers, put straight into nats.js's header map. Its `set` canonicalises the key and scans every key
// already there on each call: a tenth of what an append allocated under load. Our keys are constants already in
// canonical form; the values are ids, numbers and MACs, checked here for the one thing that would break the frame.
import { MsgHdrsImpl, type MsgHdrs } from "@nats-io/transport-node"

export type HeaderEntries = ReadonlyArray<readonly [key: string, value: string]>

const LINE_BREAK = /[\r\n]/

export function appendHeaders(entries: HeaderEntries): MsgHdrs {
  const headers = new MsgHdrsImpl()
  for (const [key, value] of entries) {
    if (LINE_BREAK.test(key) || LINE_BREAK.test(value)) throw new Error(`header ${JSON.stringify(key)} holds a line break`)
    headers.headers.set(key, [value])
  }
  return headers
}
