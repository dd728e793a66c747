/**
 * Change notices for the console's live provider. cms publishes one on Redis after every
 * committed write of a business record; the dialer-worker relays it over Socket.IO to the
 * readers allowed to hear it, who refetch with their own rights. Ids only: no field values.
 */

export type DataChangeAction = 'created' | 'updated' | 'deleted';

/** Refine's resource names, as the console's routes and cms's REST paths use them. */
export type LiveResource = 'clients' | 'accounts' | 'campaigns' | 'calls' | 'dispositions' | 'promises-to-pay' | 'callbacks' | 'dnc-entries';

/** The Redis channel, unless DATA_CHANGES_CHANNEL names another (tests sharing one Redis). */
export type DefaultDataChangesChannel = 'collections:data-changes';

/** On Redis, from cms to the workers: the record, and who may hear of it. */
export type DataChange = {
  resource: LiveResource;
  documentId: string;
  action: DataChangeAction;
  /** ISO time of the commit. */
  at: string;
  /**
   * The clients whose supervisors and analysts read the record (before and after the write:
   * a record moved away is news to its old readers too); empty for reference data.
   */
  clientDocumentIds: string[];
  /** The agents who read it (assigned agent, call agent, callback owner), before and after the write. */
  agentIds: number[];
  /** Read by every reader of the resource whatever their client (dispositions, a global DNC entry). */
  global: boolean;
};

/** On the socket, to a reader: which record changed, nothing about who else may see it. */
export type DataChangedEvent = Pick<DataChange, 'resource' | 'documentId' | 'action' | 'at'>;
