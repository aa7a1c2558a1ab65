// Opens a KV bucket, creating it with the configured replicas when it is missing. An existing bucket is raised to
// the configured replicas but never lowered (an R3 set by hand stays R3), and a difference is logged once.
import type { KV, KvOptions, Kvm } from "@nats-io/kv"
import { describeReconciled, reconcileStream } from "./streamConfig.ts"

/** Where a one-line note goes (a pino logger fits). */
export interface LineLog {
  info(line: string): void
}

export interface BucketOptions extends Partial<KvOptions> {
  readonly replicas: number
}

export async function ensureBucket(kvm: Kvm, bucket: string, options: BucketOptions, log?: LineLog): Promise<KV> {
  const open = () => kvm.create(bucket, options)
  // Another process may create the bucket between our lookup and our create; the second call then opens it.
  const kv = await open().catch(open)
  const stream = `KV_${bucket}`
  const jsm = await kvm.js.jetstreamManager()
  const { config } = await jsm.streams.info(stream)
  const reconciled = reconcileStream(config, { num_replicas: options.replicas })
  if (reconciled.update) await jsm.streams.update(stream, { ...config, ...reconciled.update })
  const line = describeReconciled(stream, reconciled)
  if (line) log?.info(line)
  return kv
}
