// Exit codes (DESIGN.md section 3) and the error that carries one to the top.
export const EXIT_OK = 0;
export const EXIT_OBJECTIVE_MISSED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;

/** An error meant for the user: printed without a stack trace, with its exit code. */
export class CliError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}
