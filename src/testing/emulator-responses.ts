// Response writers that report body bytes only once the socket has taken them, so the emulator's
// `bytesSent` shows what a client could actually have received, not what was queued.
import type { ServerResponse } from 'node:http';

/** Microsoft's content type for discovery documents and key sets. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Called with the size of each body chunk the socket accepted. */
export type BytesWritten = (bytes: number) => void;

export function sendBody(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  onWritten: BytesWritten,
): void {
  // The client went away while the answer was being made (a form still arriving): nothing to send.
  if (response.destroyed) return;
  // No body on 204/304: HTTP forbids one and Node would drop it silently.
  const payload = status === 204 || status === 304 ? Buffer.alloc(0) : body;
  response.writeHead(status, { ...headers, 'content-length': String(payload.length) });
  // 'finish' (end's callback) fires only after the last byte was handed to the operating system.
  response.end(payload, () => onWritten(payload.length));
}

export function sendText(
  response: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  onWritten: BytesWritten,
  headers: Record<string, string> = {},
): void {
  sendBody(response, status, { ...headers, 'content-type': contentType }, Buffer.from(text, 'utf8'), onWritten);
}

export function sendJson(response: ServerResponse, status: number, value: unknown, onWritten: BytesWritten): void {
  sendText(response, status, JSON_CONTENT_TYPE, JSON.stringify(value), onWritten);
}

const FILLER_CHUNK_BYTES = 64 * 1024;
const FILLER_BLOCK = Buffer.alloc(FILLER_CHUNK_BYTES, 'A');
const FILLER_HEAD = Buffer.from('{"keys":["', 'utf8');
const FILLER_TAIL = Buffer.from('"]}', 'utf8');

/**
 * Exactly `total` bytes that look like a key set (and are valid JSON when complete and long enough),
 * produced lazily so a multi-gigabyte fault costs no memory.
 */
function* fillerChunks(total: number): Generator<Buffer> {
  if (total < FILLER_HEAD.length + FILLER_TAIL.length) {
    yield Buffer.concat([FILLER_HEAD, FILLER_TAIL]).subarray(0, total);
    return;
  }
  yield FILLER_HEAD;
  for (let left = total - FILLER_HEAD.length - FILLER_TAIL.length; left > 0; left -= FILLER_CHUNK_BYTES) {
    yield FILLER_BLOCK.subarray(0, Math.min(left, FILLER_CHUNK_BYTES));
  }
  yield FILLER_TAIL;
}

/**
 * 200 with `total` bytes of filler, chunked (no content-length, so only a streaming size cap can
 * stop it). Writes wait for 'drain' and stop as soon as the client goes away, so an aborted read
 * leaves no work behind.
 */
export function streamFiller(response: ServerResponse, total: number, onWritten: BytesWritten): void {
  response.writeHead(200, { 'content-type': JSON_CONTENT_TYPE });
  const chunks = fillerChunks(total);
  let clientGone = false;
  response.once('close', () => {
    clientGone = true;
  });
  const pump = (): void => {
    while (!clientGone) {
      const next = chunks.next();
      if (next.done) {
        response.end();
        return;
      }
      const chunk = next.value;
      // A zero-length chunk would read as the end of a chunked body.
      if (chunk.length === 0) continue;
      const mayContinue = response.write(chunk, (error) => {
        if (!error) onWritten(chunk.length);
      });
      if (!mayContinue) {
        response.once('drain', pump);
        return;
      }
    }
  };
  pump();
}
