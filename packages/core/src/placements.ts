/** Where a federated value lives (TFF's `tff.SERVER` and `tff.CLIENTS`). */
export const SERVER = 'SERVER' as const;
/** The placement of values held by the clients. */
export const CLIENTS = 'CLIENTS' as const;
/** A placement literal. */
export type Placement = typeof SERVER | typeof CLIENTS;
