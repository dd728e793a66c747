import { AmiError, AmiErrorCode } from '../ami/ami-errors';
import { CmsError } from '../cms/cms-client';
import { AgentStateError } from '../live/agent-state';
import type { CommandErrorCode } from '../../../protocol/socket-protocol';

export type { CommandErrorCode };

export class CommandError<C extends CommandErrorCode = CommandErrorCode> extends Error {
  constructor(
    readonly code: C,
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
