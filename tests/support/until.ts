/**
 * Waiting for a condition in tests: checked every few milliseconds, with a
 * deadline that fails the test instead of hanging it.
 *
 * @module
 */

/** Resolves once `condition()` is true; throws, naming `what`, after `ms` milliseconds. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what = "the condition held",
  ms = 5_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
