/** A command line the CLI cannot act on: exit code 2, with this message and the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
