import { StringDecoder } from 'node:string_decoder';

/**
 * The Asterisk Manager Interface wire format, without I/O.
 *
 * A message is `Key: Value` lines ended by a blank line. Keys are case-insensitive (Asterisk
 * matches them with strcasecmp, and the asterisk-manager client re-cases them as `Callerid`,
 * `Channelid`), so parsed messages keep every key lowercased. A key that repeats (`Variable`)
 * keeps all its values, in order, as an array.
 */

export type AmiValue = string | string[];

/** A parsed message: lowercased keys, a string per key, or an array when the key repeated. */
export type AmiMessage = Record<string, AmiValue>;

/** Headers to send, in order. Arrays become repeated lines; undefined values are left out. */
export type AmiHeaders = ReadonlyArray<readonly [string, string | number | readonly string[] | undefined]>;

export const AMI_BANNER = 'Asterisk Call Manager/9.0.0';

/** Largest message we buffer before calling the peer broken (Asterisk's own limit is lower). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export class AmiProtocolError extends Error {
  override readonly name = 'AmiProtocolError';
}

/** First value of a header, case-insensitively. */
export function header(message: AmiMessage, key: string): string | undefined {
  const value = message[key.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a header, case-insensitively (empty when absent). */
export function headerValues(message: AmiMessage, key: string): string[] {
  const value = message[key.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}

/**
 * Channel variables of an action or event: `Variable: a=1` lines, each of which may also hold
 * several comma-separated assignments (Asterisk accepts `Variable: a=1,b=2`).
 */
export function parseVariables(message: AmiMessage, key = 'variable'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headerValues(message, key)) {
    for (const assignment of splitUnescapedCommas(line)) {
      const eq = assignment.indexOf('=');
      if (eq <= 0) continue;
      out[assignment.slice(0, eq).trim()] = assignment.slice(eq + 1);
    }
  }
  return out;
}

function splitUnescapedCommas(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Incremental parser for one direction of one connection. Feed it whatever the socket gives
 * (any chunking, `\r\n` or bare `\n`); it returns the messages completed by that chunk.
 */
export class AmiParser {
  // TCP splits anywhere, also inside a multi-byte UTF-8 character (a caller name): the
  // decoder holds the partial bytes until the rest arrives.
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private lines: string[] = [];
  private bannerPending: boolean;
  /** The banner line, once seen (client side). */
  banner: string | undefined;

  /** @param expectBanner true on the client side: the first line is `Asterisk Call Manager/x.y.z` */
  constructor(options: { expectBanner?: boolean } = {}) {
    this.bannerPending = options.expectBanner ?? false;
  }

  push(chunk: string | Buffer): AmiMessage[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const messages: AmiMessage[] = [];
    let start = 0;
    for (;;) {
      const nl = this.buffer.indexOf('\n', start);
      if (nl < 0) break;
      const line = this.buffer.slice(start, nl > start && this.buffer[nl - 1] === '\r' ? nl - 1 : nl);
      start = nl + 1;
      if (this.bannerPending && this.lines.length === 0) {
        this.bannerPending = false;
        if (line.startsWith('Asterisk Call Manager')) {
          this.banner = line;
          continue;
        }
      }
      if (line === '') {
        if (this.lines.length > 0) messages.push(parseLines(this.lines));
        this.lines = [];
      } else {
        this.lines.push(line);
      }
    }
    this.buffer = this.buffer.slice(start);
    const pending = this.buffer.length + this.lines.reduce((n, l) => n + l.length + 2, 0);
    if (pending > MAX_MESSAGE_BYTES) {
      this.buffer = '';
      this.lines = [];
      throw new AmiProtocolError(`message larger than ${MAX_MESSAGE_BYTES} bytes without an end`);
    }
    return messages;
  }
}

/** Parses the lines of one message (without the blank line that ends it). */
export function parseLines(lines: readonly string[]): AmiMessage {
  const message: AmiMessage = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    // Asterisk ignores a line without a colon; so do we.
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (key === '') continue;
    const value = line.slice(colon + 1).replace(/^[ \t]+/, '');
    const existing = message[key];
    if (existing === undefined) message[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else message[key] = [existing, value];
  }
  return message;
}

/** Parses one complete message given as text (tests, logs). */
export function parseMessage(text: string): AmiMessage {
  return parseLines(text.split(/\r?\n/).filter((l) => l !== ''));
}

const UNSAFE = /[\r\n]/;

/**
 * Serializes one message. Keys keep the case given (Asterisk's own spelling reads best in a
 * capture). A key or value with a line break would inject a header, so it is refused.
 */
export function serializeMessage(headers: AmiHeaders): string {
  let out = '';
  for (const [key, value] of headers) {
    if (value === undefined) continue;
    if (key === '' || UNSAFE.test(key) || key.includes(':')) throw new AmiProtocolError(`bad header name ${JSON.stringify(key)}`);
    const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
    for (const v of values) {
      if (UNSAFE.test(v)) throw new AmiProtocolError(`line break in the value of ${key}`);
      out += `${key}: ${v}\r\n`;
    }
  }
  return `${out}\r\n`;
}
