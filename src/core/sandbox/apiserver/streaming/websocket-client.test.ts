// A hand-written WebSocket client against the sandbox: what kubectl does not exercise on its own
// (v4.channel.k8s.io, resizes in the middle of a session, the v5 stdin close, pings).
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrame } from './websocket.js';
import { runningPod, startTestSandbox, type TestSandbox } from './test-sandbox.js';
import { ScriptedContainer } from './test-doubles.js';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
  await runningPod(t, 'shell', [new ScriptedContainer('app')]);
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

function frame(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([9, 8, 7, 6]);
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
}

interface Session {
  protocol: string;
  socket: TLSSocket;
  messages: Buffer[];
  pongs: Buffer[];
  closed: Promise<void>;
  send(channel: number, data: string | Buffer): void;
  waitFor(predicate: () => boolean): Promise<void>;
}

async function open(path: string, protocols: string[]): Promise<Session> {
  const url = new URL(t.sandbox.url);
  const socket = connect({ host: url.hostname, port: Number(url.port), ca: t.sandbox.pki.caCert, cert: t.sandbox.pki.adminCert, key: t.sandbox.pki.adminKey, servername: 'localhost', rejectUnauthorized: false });
  await new Promise((r) => socket.once('secureConnect', r));
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ${protocols.join(', ')}\r\n\r\n`,
  );
  let buffer = Buffer.alloc(0);
  let protocol = '';
  const messages: Buffer[] = [];
  const pongs: Buffer[] = [];
  let handshake = false;
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (!handshake) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString();
      expect(head).toMatch(/^HTTP\/1\.1 101/);
      expect(head).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
      protocol = /Sec-WebSocket-Protocol: (.*)/.exec(head)?.[1].trim() ?? '';
      buffer = buffer.subarray(end + 4);
      handshake = true;
    }
    for (;;) {
      const f = parseFrame(buffer);
      if (typeof f === 'string') return;
      buffer = buffer.subarray(f.consumed);
      if (f.opcode === 0xa) pongs.push(f.payload);
      else if (f.opcode === 0x2) messages.push(f.payload);
    }
  });
  const session: Session = {
    get protocol() {
      return protocol;
    },
    socket,
    messages,
    pongs,
    closed,
    send: (channel, data) => socket.write(frame(2, Buffer.concat([Buffer.from([channel]), Buffer.from(data)]))),
    waitFor: async (predicate) => {
      const deadline = Date.now() + 5000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out; messages: ${messages.map((m) => JSON.stringify(m.toString())).join(', ')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
  await session.waitFor(() => handshake);
  return session;
}

const text = (s: Session, channel: number) => Buffer.concat(s.messages.filter((m) => m[0] === channel).map((m) => m.subarray(1))).toString();

describe('exec over a raw WebSocket', () => {
  it('negotiates v4.channel.k8s.io, follows resizes mid-session and reports the exit status', async () => {
    const s = await open('/api/v1/namespaces/default/pods/shell/exec?command=sh&stdin=true&stdout=true&tty=true', ['v4.channel.k8s.io']);
    expect(s.protocol).toBe('v4.channel.k8s.io');
    s.send(4, JSON.stringify({ Width: 80, Height: 24 }));
    await s.waitFor(() => text(s, 1).includes('# '));
    s.send(0, 'size\r');
    await s.waitFor(() => text(s, 1).includes('24 80'));
    s.send(4, JSON.stringify({ Width: 120, Height: 40 }));
    s.send(0, 'size\r');
    await s.waitFor(() => text(s, 1).includes('40 120'));
    s.socket.write(frame(9, Buffer.from('hb')));
    await s.waitFor(() => s.pongs.length > 0);
    expect(s.pongs[0].toString()).toBe('hb');
    s.send(0, 'exit 2\r');
    await s.waitFor(() => text(s, 3) !== '');
    expect(JSON.parse(text(s, 3))).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh], exit code 2',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '2' }] },
    });
    await s.closed;
  });

  it('v5: the client closes stdin with 255 0 and the command sees end of input', async () => {
    const s = await open('/api/v1/namespaces/default/pods/shell/exec?command=cat&stdin=true&stdout=true&stderr=true', ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    expect(s.protocol).toBe('v5.channel.k8s.io');
    s.send(0, 'abc');
    await s.waitFor(() => text(s, 1) === 'abc');
    s.socket.write(frame(2, Buffer.from([255, 0])));
    await s.waitFor(() => text(s, 3) !== '');
    expect(JSON.parse(text(s, 3))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('refuses a protocol it does not speak', async () => {
    const url = new URL(t.sandbox.url);
    const socket = connect({ host: url.hostname, port: Number(url.port), cert: t.sandbox.pki.adminCert, key: t.sandbox.pki.adminKey, rejectUnauthorized: false });
    await new Promise((r) => socket.once('secureConnect', r));
    socket.write(`GET /api/v1/namespaces/default/pods/shell/exec?command=env&stdout=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: channel.k8s.io\r\n\r\n`);
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    await new Promise((r) => socket.on('close', r));
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('unable to negotiate protocol');
  });
});
