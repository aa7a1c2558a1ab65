// The CLI's surface for the tests, the bench and the scripts (its users run src/cli/main.ts): the subcommand list,
// the roles `serve` knows, the progress bar, the local services of `dev`, and the fleet simulator.
export { loadCommands, matchCommand } from "./commands/index.ts"
export { parseRoles, ROLE_GROUPS, ROLE_NAMES } from "./serve/roles.ts"
export { startProgress, type Progress, type ProgressOptions } from "./progress.ts"
export { findNatsServer, freePort, reachable, startNats, startPostgres } from "./devServices.ts"
export { journalsIn, registerKiosks } from "./simulate/enrol.ts"
export { startFleet } from "./simulate/fleet.ts"
