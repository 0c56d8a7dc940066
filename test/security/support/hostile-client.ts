import * as http from 'node:http';

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly challenge: string;
}

/**
 * Sends requests with full control of the Authorization header (none, two, any bytes Node lets
 * through as latin1), a bounded number at a time over keep-alive connections to loopback.
 */
export class HostileClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  send(url: string, headers: Record<string, string | string[]>): Promise<Reply> {
    // A header over Node's limit makes the server answer 431 and close the socket: give it its own.
    const oversized = JSON.stringify(headers).length > 16000;
    return new Promise((resolve, reject) => {
      const request = http.request(
        url,
        { method: 'GET', headers, agent: oversized ? false : this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('latin1'),
              challenge: String(response.headers['www-authenticate'] ?? ''),
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end();
    });
  }

  async sendAll<T>(items: readonly T[], send: (item: T) => Promise<void>, concurrency = 8): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) await send(items[next++]!);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  close(): void {
    this.agent.destroy();
  }
}
