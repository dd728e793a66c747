import { createServer, type Server, type Socket } from 'node:net';
import AsteriskManager = require('asterisk-manager');
import {
  AmiParser,
  AmiProtocolError,
  header,
  headerValues,
  parseMessage,
  parseVariables,
  serializeMessage,
  type AmiMessage,
} from '../../src/ami/ami-protocol';
import { captureBytes } from './asterisk-fixture';

describe('AmiParser', () => {
  it('skips the banner, splits messages on the blank line and lowercases keys', () => {
    const parser = new AmiParser({ expectBanner: true });
    const out = parser.push('Asterisk Call Manager/9.0.0\r\nResponse: Success\r\nActionID: 1\r\nMessage: Authentication accepted\r\n\r\nEvent: FullyBooted\r\nPrivilege: system,all\r\n\r\n');
    expect(parser.banner).toBe('Asterisk Call Manager/9.0.0');
    expect(out).toEqual([
      { response: 'Success', actionid: '1', message: 'Authentication accepted' },
      { event: 'FullyBooted', privilege: 'system,all' },
    ]);
  });

  it.each([1, 2, 3, 7, 64])('gives the same messages whatever the chunking (%i bytes at a time)', (size) => {
    const text = 'Action: Ping\r\nActionID: a\r\n\r\nAction: Originate\nChannel: PJSIP/+13125550100@trunk\nVariable: A=1\nVariable: B=2\n\n';
    const parser = new AmiParser();
    const out: AmiMessage[] = [];
    for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
    expect(out).toEqual([
      { action: 'Ping', actionid: 'a' },
      { action: 'Originate', channel: 'PJSIP/+13125550100@trunk', variable: ['A=1', 'B=2'] },
    ]);
  });

  it('decodes a caller name split inside a multi-byte UTF-8 character, at every byte boundary', () => {
    const bytes = Buffer.from('Action: Originate\r\nCallerID: "Zoë Ångström 山田" <+13125550100>\r\n\r\n', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new AmiParser();
      const out = [...parser.push(bytes.subarray(0, cut)), ...parser.push(bytes.subarray(cut))];
      expect({ cut, out }).toEqual({ cut, out: [{ action: 'Originate', callerid: '"Zoë Ångström 山田" <+13125550100>' }] });
    }
  });

  it('reads the Asterisk 20 capture byte by byte as it reads it whole', () => {
    const bytes = captureBytes();
    const whole = new AmiParser({ expectBanner: true }).push(bytes);
    const parser = new AmiParser({ expectBanner: true });
    const bytewise: AmiMessage[] = [];
    for (let i = 0; i < bytes.length; i++) bytewise.push(...parser.push(bytes.subarray(i, i + 1)));
    expect(whole).toHaveLength(225);
    expect(bytewise).toEqual(whole);
    expect(bytewise.filter((m) => header(m, 'calleridname') === 'Zoë Ångström 山田').length).toBeGreaterThan(100);
  });

  it('keeps repeated keys in order, values with colons whole, and ignores lines without a colon', () => {
    const m = parseMessage('Event: Foo\r\nData: a: b: c\r\nVariable: X=1\r\ngarbage\r\nvariable: Y=2\r\nVARIABLE: Z=3\r\nEmpty:\r\n');
    expect(m).toEqual({ event: 'Foo', data: 'a: b: c', variable: ['X=1', 'Y=2', 'Z=3'], empty: '' });
    expect(header(m, 'VARIABLE')).toBe('X=1');
    expect(headerValues(m, 'Variable')).toEqual(['X=1', 'Y=2', 'Z=3']);
    expect(headerValues(m, 'missing')).toEqual([]);
  });

  it('refuses to buffer a message without an end', () => {
    const parser = new AmiParser();
    expect(() => parser.push(`Action: Ping\r\nData: ${'x'.repeat(300 * 1024)}`)).toThrow(AmiProtocolError);
  });
});

describe('parseVariables', () => {
  it.each([
    ['one per line', ['ATTEMPT_ID=a1', 'CAMPAIGN=c9'], { ATTEMPT_ID: 'a1', CAMPAIGN: 'c9' }],
    ['comma-separated, as Asterisk accepts', ['ATTEMPT_ID=a1,CAMPAIGN=c9'], { ATTEMPT_ID: 'a1', CAMPAIGN: 'c9' }],
    ['an escaped comma stays in the value', ['NOTE=a\\,b'], { NOTE: 'a,b' }],
    ['= inside a value', ['EXPR=a=b'], { EXPR: 'a=b' }],
    ['no name is ignored', ['=x', 'novalue'], {}],
  ])('%s', (_name, lines, expected) => {
    expect(parseVariables({ variable: lines })).toEqual(expected);
  });
});

describe('serializeMessage', () => {
  it('writes headers in order, repeats arrays, leaves out undefined, ends with a blank line', () => {
    expect(
      serializeMessage([
        ['Action', 'Originate'],
        ['ActionID', 'x'],
        ['Priority', 1],
        ['Skipped', undefined],
        ['Variable', ['A=1', 'B=2']],
      ]),
    ).toBe('Action: Originate\r\nActionID: x\r\nPriority: 1\r\nVariable: A=1\r\nVariable: B=2\r\n\r\n');
  });

  it.each([
    ['a line break in a value', [['CallerID', 'x\r\nAction: Hangup']]],
    ['a bare newline', [['CallerID', 'x\nAction: Hangup']]],
    ['a colon in a key', [['Bad:Key', 'x']]],
  ] as const)('refuses %s (header injection)', (_name, headers) => {
    expect(() => serializeMessage(headers)).toThrow(AmiProtocolError);
  });

  it('round-trips through the parser', () => {
    const text = serializeMessage([
      ['Event', 'Hangup'],
      ['Privilege', 'call,all'],
      ['Channel', 'PJSIP/trunk-0000002a'],
      ['Cause', 16],
      ['Cause-txt', 'Normal Clearing'],
    ]);
    expect(new AmiParser().push(text)).toEqual([{ event: 'Hangup', privilege: 'call,all', channel: 'PJSIP/trunk-0000002a', cause: '16', 'cause-txt': 'Normal Clearing' }]);
  });
});

describe('what the asterisk-manager client really sends', () => {
  let server: Server;
  let port: number;
  let received: string;
  let peer: Socket | undefined;

  beforeAll(async () => {
    server = createServer((socket) => {
      peer = socket;
      socket.setEncoding('utf8');
      socket.write('Asterisk Call Manager/9.0.0\r\n');
      const parser = new AmiParser();
      socket.on('data', (chunk: string) => {
        received += chunk;
        for (const m of parser.push(chunk)) {
          socket.write(serializeMessage([['Response', 'Success'], ['ActionID', header(m, 'actionid')], ['Message', 'ok']]));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    peer?.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('ActionID and headers sorted, keys re-cased, Event: on at login, variables as repeated lines; our parser reads it all', async () => {
    received = '';
    const client = new AsteriskManager(undefined, '127.0.0.1', 'dialer', 's3cret', true);
    await new Promise<void>((resolve, reject) => client.connect(port, '127.0.0.1', () => client.login((err) => (err ? reject(err) : resolve()))));
    await new Promise<void>((resolve, reject) =>
      client.action(
        {
          action: 'Originate',
          actionid: 'orig~n1~att-1',
          channel: 'PJSIP/+13125550100@trunk',
          context: 'dialer-amd',
          exten: 's',
          priority: 1,
          timeout: 25000,
          callerid: '"Demo Bank" <+18005550000>',
          channelid: 'att-1',
          async: 'true',
          variable: { ATTEMPT_ID: 'att-1', CAMPAIGN: 'c7' },
        },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    client.disconnect();

    const [loginText, originateText] = received.split('\r\n\r\n');
    expect(loginText.split('\r\n')).toEqual(expect.arrayContaining(['Action: login', 'Username: dialer', 'Secret: s3cret', 'Event: on']));
    const lines = originateText.split('\r\n');
    // The client sorts every line, ActionID included, and re-cases keys as `Xxxx`.
    expect(lines).toEqual([...lines].sort());
    expect(lines).toEqual(
      expect.arrayContaining(['ActionID: orig~n1~att-1', 'Callerid: "Demo Bank" <+18005550000>', 'Channelid: att-1', 'Async: true', 'Variable: ATTEMPT_ID=att-1', 'Variable: CAMPAIGN=c7']),
    );

    const [login, originate] = new AmiParser().push(received);
    expect(header(login, 'Events')).toBeUndefined();
    expect(header(login, 'event')).toBe('on');
    expect(header(originate, 'Action')).toBe('Originate');
    expect(header(originate, 'ChannelId')).toBe('att-1');
    expect(header(originate, 'CallerID')).toBe('"Demo Bank" <+18005550000>');
    expect(header(originate, 'ActionID')).toBe('orig~n1~att-1');
    expect(parseVariables(originate)).toEqual({ ATTEMPT_ID: 'att-1', CAMPAIGN: 'c7' });
  });
});
