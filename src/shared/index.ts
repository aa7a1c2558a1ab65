// Facts shared by the server, the kiosk client library and the console, free of Node, DOM and Effect imports so a
// browser bundle can take them: the ISO 4217 table with money's bounds, a device token's shape, a payment's status.
export * from "./currency.ts"
export * from "./deviceToken.ts"
export * from "./payment.ts"
