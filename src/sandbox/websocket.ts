import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The server end of a WebSocket (RFC 6455), just what Slack's side of Socket Mode needs: text
 * messages, ping/pong and the closing handshake. Hand-written because the project has no WebSocket
 * server among its dependencies (@slack/socket-mode 3 connects with undici's client); the `ws`
 * package's WebSocketServer is its drop-in replacement once it is a devDependency.
 */
export class ServerWebSocket extends EventEmitter<{ message: [text: string]; close: [] }> {
  private received = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closeSent = false;

  private constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A client may go away without the closing handshake, ending or resetting the connection: either
    // way it is closed. (An upgraded socket is half-open: its end is not ours until we end it.)
    socket.on('end', () => socket.end());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.emit('close'));
  }

  /** Completes the opening handshake of an HTTP upgrade request. */
  static accept(request: IncomingMessage, socket: Duplex, head: Buffer): ServerWebSocket {
    const key = request.headers['sec-websocket-key'] ?? '';
    const accept = createHash('sha1').update(`${key}${HANDSHAKE_GUID}`).digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const webSocket = new ServerWebSocket(socket);
    if (head.length > 0) webSocket.receive(head);
    return webSocket;
  }

  get open(): boolean {
    return !this.closeSent && !this.socket.destroyed;
  }

  send(text: string): void {
    this.socket.write(frame(OPCODE.text, Buffer.from(text, 'utf8')));
  }

  /** Starts the closing handshake; the connection ends when the client answers it. */
  close(code = 1000): void {
    if (this.closeSent || this.socket.destroyed) return;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    this.socket.write(frame(OPCODE.close, body));
    this.closeSent = true;
  }

  private receive(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);
    for (let next = readFrame(this.received); next; next = readFrame(this.received)) {
      this.received = this.received.subarray(next.size);
      this.handle(next);
    }
  }

  private handle({ fin, opcode, payload }: Frame): void {
    switch (opcode) {
      case OPCODE.continuation:
      case OPCODE.text:
        this.fragments.push(payload);
        if (fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          this.emit('message', text);
        }
        return;
      case OPCODE.close:
        // Echo the client's close (its status code) unless it answers ours; either way it is over.
        if (!this.closeSent) this.socket.write(frame(OPCODE.close, payload.subarray(0, 2)));
        this.closeSent = true;
        this.socket.end();
        return;
      case OPCODE.ping:
        this.socket.write(frame(OPCODE.pong, payload));
        return;
      default:
      // Pongs, and binary data that Socket Mode never sends.
    }
  }
}

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const OPCODE = { continuation: 0x0, text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const;

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** The bytes the frame took, header included. */
  size: number;
}

/** The first whole frame in the bytes received, unmasked; undefined until it has all arrived. */
function readFrame(bytes: Buffer): Frame | undefined {
  if (bytes.length < 2) return undefined;
  const first = bytes.readUInt8(0);
  const second = bytes.readUInt8(1);
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return undefined;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return undefined;
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  // Every frame from a client is masked (RFC 6455 §5.3).
  const masked = (second & 0x80) !== 0;
  const mask = masked ? bytes.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (bytes.length < offset + length) return undefined;
  const payload = Buffer.from(bytes.subarray(offset, offset + length));
  if (mask)
    for (let i = 0; i < payload.length; i += 1)
      payload.writeUInt8(payload.readUInt8(i) ^ mask.readUInt8(i % 4), i);
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, size: offset + length };
}

/** A single unmasked frame, as a server sends it. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const extended = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const header = Buffer.alloc(2 + extended);
  header.writeUInt8(0x80 | opcode, 0);
  if (extended === 0) header.writeUInt8(length, 1);
  else if (extended === 2) {
    header.writeUInt8(126, 1);
    header.writeUInt16BE(length, 2);
  } else {
    header.writeUInt8(127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}
