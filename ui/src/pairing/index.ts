export { Scanner } from "./Scanner.tsx"
export { pairingCodeFrom, printedCode } from "./scannerState.ts"
// The camera scanner, for the kiosk app to read its device token from the console's QR.
export { createCameraScanner } from "./cameraScanner.ts"
export { cameraWanted } from "./scannerState.ts"
