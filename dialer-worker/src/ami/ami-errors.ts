/**
 * Errors of the AMI connection. A caller branches on `code` and, for an Originate, on
 * `mayHaveRun`: when it is true the PBX may have placed the call, so the attempt must be
 * reconciled from events (or `listChannels()`), never sent again.
 */
export enum AmiErrorCode {
  /** Not logged in when the action was attempted: nothing was sent. */
  NOT_CONNECTED = 'NOT_CONNECTED',
  /** Sent, then the connection dropped before the reply: it may have run. */
  CONNECTION_LOST = 'CONNECTION_LOST',
  /** Sent, and no reply within the action timeout: it may have run. */
  TIMEOUT = 'TIMEOUT',
  /** The PBX answered `Response: Error`: it did not run. */
  ACTION_FAILED = 'ACTION_FAILED',
  /** The PBX refused the username or secret. */
  AUTHENTICATION_FAILED = 'AUTHENTICATION_FAILED',
  /** The request could not be put on the wire safely (line break, comma in a variable...). */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** `close()` was called. */
  CLOSED = 'CLOSED',
}

export class AmiError extends Error {
  constructor(
    readonly code: AmiErrorCode,
    message: string,
    readonly details: { action?: string; actionId?: string; mayHaveRun?: boolean; response?: string } = {},
  ) {
    super(message);
  }

  /** True when the PBX may have executed the action despite the error. */
  get mayHaveRun(): boolean {
    return this.details.mayHaveRun ?? false;
  }
}

/** Not connected (nothing sent), connection lost while waiting (maybe ran), or closed. */
export class AmiDisconnectedError extends AmiError {
  override readonly name = 'AmiDisconnectedError';
}

export class AmiTimeoutError extends AmiError {
  override readonly name = 'AmiTimeoutError';
  constructor(message: string, details: { action?: string; actionId?: string } = {}) {
    super(AmiErrorCode.TIMEOUT, message, { ...details, mayHaveRun: true });
  }
}

/** `Response: Error`; `details.response` holds the PBX's message. */
export class AmiActionError extends AmiError {
  override readonly name = 'AmiActionError';
  constructor(message: string, details: { action?: string; actionId?: string; response?: string } = {}) {
    super(AmiErrorCode.ACTION_FAILED, message, { ...details, mayHaveRun: false });
  }
}

export class AmiAuthenticationError extends AmiError {
  override readonly name = 'AmiAuthenticationError';
  constructor(message = 'the PBX refused the AMI username or secret') {
    super(AmiErrorCode.AUTHENTICATION_FAILED, message);
  }
}

export class AmiInvalidArgumentError extends AmiError {
  override readonly name = 'AmiInvalidArgumentError';
  constructor(message: string) {
    super(AmiErrorCode.INVALID_ARGUMENT, message);
  }
}
