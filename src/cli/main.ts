#!/usr/bin/env node
// `entra-auth`: the package's command (package.json "bin"). tsyringe needs reflect-metadata first.
import 'reflect-metadata';
import { runCli } from './cli';
import { errorKind } from './error-kind';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

runCli(process.argv.slice(2), {
  env: process.env,
  readStdin,
  stdinIsTerminal: process.stdin.isTTY === true,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a verdict: its kind only, since a message may repeat input (the token, a file).
    process.stderr.write(`entra-auth: unexpected error (${errorKind(error)}); please report it\n`);
    process.exitCode = 70;
  },
);
