export type {
  AmiConnection,
  AmiConnectionEvents,
  AmiConnectionStatus,
  OriginateRequest,
  OriginateAccepted,
  AgentLegRequest,
  AgentLegAccepted,
  AmiChannelInfo,
} from './ami-connection';
export { AsteriskManagerConnection } from './asterisk-manager-connection';
export type { AsteriskManagerConnectionOptions } from './asterisk-manager-connection';
export {
  AmiError,
  AmiErrorCode,
  AmiDisconnectedError,
  AmiTimeoutError,
  AmiActionError,
  AmiAuthenticationError,
  AmiInvalidArgumentError,
} from './ami-errors';
export { CallEventTracker, interpretAmiMessage, classifyOutcome, CHANNEL_STATE, ORIGINATE_REASON } from './call-events';
export { attemptOutcome, endReadiness, OUTCOME_RULES, DEFAULT_SETTLE_MS, type AttemptEvidence } from './attempt-outcome';
export type { CallEvent, CallEventType, CallSignal, CallOutcome, AmdResult, CallTimestamps, LegKind } from './call-events';
export { AmiParser, AmiProtocolError, header, headerValues, parseVariables, parseMessage, parseLines, serializeMessage, AMI_BANNER } from './ami-protocol';
export type { AmiMessage, AmiHeaders, AmiValue } from './ami-protocol';
export { agentConferenceName, agentIdFromConferenceName, parseActionId, parseAgentLegId } from './ami-ids';
