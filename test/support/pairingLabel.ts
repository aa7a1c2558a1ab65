// Reads a kiosk's current pairing code out of its label (`GET /kiosks/:id/qr`, SVG), as tests pair the way an
// operator does: with the label's code, never the kiosk code alone.
export function pairingCodeInLabel(svg: string): string {
  const found = /<desc>Pairing code ([^<]+)<\/desc>/.exec(svg)
  if (found === null) throw new Error(`no pairing code in the label: ${svg.slice(0, 200)}`)
  return found[1]!
}
