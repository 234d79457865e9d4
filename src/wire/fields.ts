/**
 * Reading a frame's text as fields: keys and values in order, repeated keys
 * kept, in one pass ({@linkcode splitFields}), and comparing keys ignoring
 * case ({@linkcode sameKeyIgnoringCase}).
 *
 * The rules: lines end in CRLF; a bare LF belongs to the value. The key ends
 * at the first colon and one space after it is dropped. A line with no colon
 * continues the previous value (Asterisk wrote a value containing CRLF),
 * joined back with CRLF; a first line with no colon is a field with an empty
 * key.
 *
 * @module
 */

/** The text that starts the reply to `Command` in Asterisk 13 and older. */
export const LEGACY_COMMAND_START = "Response: Follows\r\n";
/** The text that ends the reply to `Command` in Asterisk 13 and older. */
export const LEGACY_COMMAND_END = "--END COMMAND--";

const SPACE = 32;
const LF = 10;

/** How many field positions a {@linkcode KnownKeys} table remembers. */
const KNOWN_KEY_POSITIONS = 64;

/**
 * The keys seen last at each field position, so that the next frames
 * re-use those strings instead of cutting new ones. Frames of one stream
 * mostly share their keys position by position (every channel event
 * starts `Event`, `Privilege`, `Timestamp`, `SystemName`, `Channel`, …), and
 * a key string that was already a property name needs no lookup when it is
 * one again: the key cut from the frame is only compared with the known
 * one and dropped, so no new property name is hashed per field. Owned by one
 * parser; it holds at most {@linkcode KNOWN_KEY_POSITIONS} short strings.
 */
export type KnownKeys = (string | undefined)[];

/**
 * Splits a frame's text into its fields, as `[k0, v0, k1, v1, …]`. Keys
 * found in `known` at their position are taken from it (the same text, the
 * same string), and new ones are put there.
 */
export function splitFields(body: string, known?: KnownKeys): string[] {
  const flat: string[] = [];
  const end = body.length;
  let position = 0;
  let colon = -1;
  while (position <= end) {
    let eol = body.indexOf("\r", position);
    while (eol !== -1 && body.charCodeAt(eol + 1) !== LF) eol = body.indexOf("\r", eol + 1);
    if (eol === -1) eol = end;
    // Remember the next colon across colon-less lines so hostile frames stay linear.
    if (colon < position) {
      colon = body.indexOf(":", position);
      if (colon === -1) colon = end + 1;
    }
    if (colon < eol) {
      let valueStart = colon + 1;
      if (body.charCodeAt(valueStart) === SPACE) valueStart++;
      flat.push(keyAt(body, position, colon, flat.length >> 1, known), body.slice(valueStart, eol));
    } else if (eol > position || position < end) {
      const line = body.slice(position, eol);
      if (flat.length === 0) flat.push("", line);
      else flat[flat.length - 1] += "\r\n" + line;
    }
    position = eol + 2;
  }
  return flat;
}

/** The key `body[start, colon)` of field `index`: the known string when it is the same text. */
function keyAt(
  body: string,
  start: number,
  colon: number,
  index: number,
  known: KnownKeys | undefined,
): string {
  const key = body.slice(start, colon);
  if (known === undefined || index >= KNOWN_KEY_POSITIONS) return key;
  // Cutting the key and comparing strings is cheaper than `startsWith` at an offset.
  const seen = known[index];
  if (seen === key) return seen;
  return known[index] = key;
}

/**
 * Whether `candidate` is `key` ignoring case (`wanted` is `key` in lower
 * case). The length check skips most keys; an ASCII key (all AMI keys are)
 * is then compared one character at a time, lowering A–Z on the way, so no
 * string is built. Any other character falls back to `toLowerCase`. This
 * only differs from comparing lowercased strings for U+0130, which no AMI
 * key holds.
 */
export function sameKeyIgnoringCase(candidate: string, key: string, wanted: string): boolean {
  const length = candidate.length;
  if (length !== key.length) return false;
  if (wanted.length !== length) return candidate.toLowerCase() === wanted;
  for (let i = 0; i < length; i++) {
    const code = candidate.charCodeAt(i);
    if (code >= 128) return candidate.toLowerCase() === wanted;
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    // Lowering the ASCII characters before this one kept their positions, so this one decides.
    if (lower !== wanted.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Splits the legacy reply to `Command` (`Response: Follows`, `Privilege:
 * Command`, an optional `ActionID`, raw CLI output, `--END COMMAND--`) into
 * its headers and one `Output` field per line of output, as modern Asterisk
 * sends it.
 */
export function splitLegacyCommand(body: string): string[] {
  const flat: string[] = [];
  let position = 0;
  // The fixed headers come first, each on its own CRLF line.
  for (let header = 0; header < 3; header++) {
    const eol = body.indexOf("\r\n", position);
    if (eol === -1) break;
    const line = body.slice(position, eol);
    const colon = line.indexOf(":");
    if (colon === -1) break;
    const key = line.slice(0, colon);
    if (header === 2 && key.toLowerCase() !== "actionid") break;
    flat.push(key, line.slice(colon + (line.charCodeAt(colon + 1) === 32 ? 2 : 1)));
    position = eol + 2;
  }
  let output = body.slice(position);
  if (output.endsWith(LEGACY_COMMAND_END)) output = output.slice(0, -LEGACY_COMMAND_END.length);
  if (output.endsWith("\n")) output = output.slice(0, -1);
  if (output.endsWith("\r")) output = output.slice(0, -1);
  if (output.length > 0) {
    for (const line of output.split("\n")) {
      flat.push("Output", line.endsWith("\r") ? line.slice(0, -1) : line);
    }
  }
  return flat;
}
