export { Scanner } from "./Scanner.tsx"
export { kioskCodeFrom } from "./scannerState.ts"
