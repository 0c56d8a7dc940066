import type { ChildProcess } from 'node:child_process';

/**
 * The CPU time (user + system) a child process has used so far, asked over IPC: the child answers
 * the message `'cpu'` with `{ cpu: process.cpuUsage() }`. Benchmarks judge on CPU time per request,
 * which other work on a shared machine moves far less than requests per second.
 */
export function cpuUsageOf(child: ChildProcess): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    const listener = (message: { cpu?: NodeJS.CpuUsage }): void => {
      if (!message.cpu) return;
      child.off('message', listener);
      resolve(message.cpu);
    };
    child.on('message', listener);
    child.send('cpu');
  });
}
