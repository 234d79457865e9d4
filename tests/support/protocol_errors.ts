import type { AmiClientOptions, AmiProtocolError } from "../../mod.ts";

/** Client options whose `onProtocolError` collects every report into `errors`. */
export function collectProtocolErrors(): { errors: AmiProtocolError[]; options: AmiClientOptions } {
  const errors: AmiProtocolError[] = [];
  return { errors, options: { onProtocolError: (error) => void errors.push(error) } };
}
