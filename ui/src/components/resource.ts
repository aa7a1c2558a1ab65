import type { Resource } from "solid-js"

/** A resource's last good value, or undefined while it has none or its last load failed (reading a failed
 * resource throws, and an error thrown while rendering would take the page down). */
export const settled = <T>(resource: Resource<T>): T | undefined => (resource.error ? undefined : resource.latest)
