/*
 * Refusals the user should read, not debug. The scaffolder writes a failed step's `err.stack` into
 * the task log; an expected refusal's stack is its message, so the log shows no stack frames.
 */

/** `error`, with its stack reduced to `<name>: <message>`. */
export function refusal<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
