// Who is asking decides what a list may show: operators see only the kiosks assigned to them and their payments.
export type Scope = { readonly operatorId: string } | "all"
