// A CLI failure: one line on stderr, no stack trace, a non-zero exit.
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
