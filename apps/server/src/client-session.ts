import { randomUUID } from 'node:crypto';

import { clientMessageSchema, encodeFrames, FrameDecoder, ProtocolError, type ClientMessage, type ProtocolLimits, type ServerMessage } from '@fedkit/client';
import type { WebSocket } from 'ws';

/** Something wrong a session received while it had a task: counted as a rejected update. */
export interface InvalidFrame {
  readonly t: 'invalid';
  readonly code: string;
  readonly message: string;
}

/** Per-connection limits. */
export interface SessionLimits extends ProtocolLimits {
  /** Messages (frames) per second a connection may send on average. */
  readonly messagesPerSecond: number;
  /** Burst allowance of the rate limit, in messages. */
  readonly burst: number;
}

/**
 * One client connection on the server: validates every frame against the
 * protocol schema (reassembling chunks under the size limit), enforces the
 * message rate, and hands messages to whoever waits for them. A frame that
 * breaks the protocol is data (`InvalidFrame` to the task's handler), never a
 * crash; a client over the rate limit is disconnected.
 */
export class ClientSession {
  /** Unique per connection: `<client>#<uuid prefix>`. */
  id = '';
  client = '';
  name = '';
  runtime = '';
  joined = false;
  readonly connectedAt = Date.now();
  /** The task this session is running, if any. */
  task: string | undefined;
  /** Receives the session's messages while it has a task (results, secure-aggregation steps, invalid frames). */
  taskHandler: ((m: ClientMessage | InvalidFrame) => void) | undefined;
  /** Receives the first message (the hello) before the session joined. */
  helloHandler: ((m: ClientMessage) => void) | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;
  bytesIn = 0;
  bytesOut = 0;
  private readonly decoder: FrameDecoder<ClientMessage>;
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: SessionLimits,
  ) {
    this.decoder = new FrameDecoder(clientMessageSchema, limits.maxMessageBytes);
    this.tokens = limits.burst;
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    socket.on('error', () => undefined);
  }

  /** Names the session once its hello was accepted. */
  join(client: string, name: string, runtime: string): void {
    this.client = client;
    this.id = `${client}#${randomUUID().slice(0, 8)}`;
    this.name = name;
    this.runtime = runtime;
    this.joined = true;
  }

  get open(): boolean {
    return this.socket.readyState === 1;
  }

  /** Sends a message (as chunks when it is larger than `chunkBytes`); returns the bytes sent, 0 when closed. */
  send(message: ServerMessage): number {
    if (!this.open) return 0;
    let bytes = 0;
    for (const frame of encodeFrames(message, this.limits.chunkBytes)) {
      this.socket.send(frame);
      bytes += frame.byteLength;
    }
    this.bytesOut += bytes;
    return bytes;
  }

  /** Sends an `error` message and closes the connection. */
  refuse(code: string, message: string, closeCode = 1008): void {
    this.send({ t: 'error', code, message });
    this.socket.close(closeCode, code);
  }

  close(code = 1000, reason = ''): void {
    this.socket.close(code, reason);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    const now = Date.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.last) / 1000) * this.limits.messagesPerSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens < 0) {
      this.refuse('rate', `More than ${this.limits.messagesPerSecond} messages per second (burst ${this.limits.burst}); reconnect later.`);
      return;
    }
    this.bytesIn += data.byteLength;
    let message: ClientMessage | undefined;
    try {
      if (!isBinary) throw new ProtocolError('Text frames are not part of the protocol; send msgpack binary frames.', 'malformed');
      message = this.decoder.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (e) {
      const err = e instanceof ProtocolError ? e : new ProtocolError(String(e), 'malformed');
      if (!this.joined) this.refuse('protocol', err.message, 1002);
      else this.taskHandler?.({ t: 'invalid', code: err.code, message: err.message });
      return;
    }
    if (message === undefined) return;
    if (!this.joined) this.helloHandler?.(message);
    else this.taskHandler?.(message);
  }
}
