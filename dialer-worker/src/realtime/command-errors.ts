import { AmiError, AmiErrorCode } from '../ami/ami-errors';
import { CmsError } from '../cms/cms-client';
import { AgentStateError } from '../live/agent-state';

/**
 * Every code a command's ack may carry (`{ ok: false, code, error }`), and what it tells the
 * console to do. The console branches on `code`; `error` is for people.
 */
export const COMMAND_ERROR_CODES = {
  INVALID: 'the payload is malformed (an id of the wrong shape, a missing field): fix the request',
  FORBIDDEN: 'this user may not do this (role, campaign they are not on, another client)',
  NOT_FOUND: 'no such thing of yours (call, preview, phone to dial)',
  CONFLICT: 'not now: the agent or the call is in a state that does not allow it',
  SESSION_EXPIRED: 'the access token has expired: refresh it and connect again',
  SESSION_ENDED: 'cms no longer accepts this session (logged out, blocked, deleted): sign in again',
  CMS_UNAVAILABLE: 'cms did not answer: try again shortly; nothing was decided about you',
  PBX_UNAVAILABLE: 'the phone system did not answer: try again shortly',
  STATE_UNAVAILABLE: 'the worker cannot reach its live state (Redis): try again shortly; nothing was changed',
  FAILED: 'the worker failed unexpectedly; the details are in its log',
} as const;

export type CommandErrorCode = keyof typeof COMMAND_ERROR_CODES;

export class CommandError extends Error {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/**
 * What a failed command tells its sender. Errors from cms and the PBX are translated, so an
 * outage reads as an outage and never as "not yours"; anything unexpected is FAILED with a
 * generic message, its details going to the log only.
 */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  if (error instanceof AgentStateError) return new CommandError('CONFLICT', error.message);
  if (error instanceof CmsError) {
    if (error.transient) return new CommandError('CMS_UNAVAILABLE', 'cms is not answering; try again shortly');
    if (error.code === 'NOT_FOUND') return new CommandError('NOT_FOUND', 'no such record of yours');
    if (error.code === 'UNAUTHORIZED') return new CommandError('FORBIDDEN', 'cms refused this to you');
    return new CommandError('INVALID', 'cms refused the request');
  }
  if (error instanceof AmiError && error.code === AmiErrorCode.ACTION_FAILED) return new CommandError('CONFLICT', 'the phone system refused the action');
  if (error instanceof AmiError) return new CommandError('PBX_UNAVAILABLE', 'the phone system did not take the action; try again shortly');
  return new CommandError('FAILED', 'the command failed');
}
