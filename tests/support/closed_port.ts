/**
 * A port on 127.0.0.1 that nobody listens on: bound, noted and closed again.
 * Only for tests that expect a refused connection; never hand it to a server
 * to bind (a test file running in parallel may take it meanwhile).
 */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}
