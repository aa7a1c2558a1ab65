// The shape of a kiosk device token, without the crypto: `akd.<kioskId body>.<secret>`. Pure, so the kiosk client
// library (which also runs in a browser) reads the kiosk id from a token the same way the edge does.

export const DEVICE_TOKEN_PREFIX = "akd"

/** The kiosk id a token claims, or undefined when it is not shaped like one of ours. */
export function kioskIdOfToken(token: string): string | undefined {
  const parts = token.split(".")
  if (parts.length !== 3 || parts[0] !== DEVICE_TOKEN_PREFIX || !/^[0-9a-z]{26}$/.test(parts[1]!) || parts[2]!.length < 32) return undefined
  return `ksk_${parts[1]}`
}
