/**
 * POSIX extended regular expressions (ERE) as Asterisk compiles them for
 * event filters (`regcomp(REG_EXTENDED | REG_NOSUB)`, glibc, no
 * `REG_NEWLINE`), translated to JavaScript `RegExp`s that match the same
 * texts: `.` and `[^…]` cross line ends, `^`/`$` anchor only the whole text,
 * a backslash inside brackets is literal, `\n` outside them is the letter
 * `n`, `[[:cntrl:]]` and the other character classes work, and what glibc
 * refuses (a leading `*`, an unclosed `(` or `[`, `{3,2}` …) is refused.
 *
 * Only whether a text matches is used (`REG_NOSUB`), so the difference
 * between POSIX leftmost-longest and JavaScript leftmost-first matching never
 * shows. Known differences, all rare in filters: characters are UTF-16 code
 * units here where glibc may see bytes (a pattern counting characters,
 * `^.{3}$`, can differ on non-ASCII text); and a `^` (`$`) inside the pattern
 * next to a newline holds in glibc only when the match crosses that newline,
 * which this translation gets right except when only optional atoms separate
 * the anchor from the start (end) of the pattern, as in `a?^b` or `\r$b?`
 * (checked against glibc on 44,000 generated patterns: 5 differed, all of
 * this kind).
 *
 * @module
 */

/** POSIX character classes, as ASCII (the C locale Asterisk runs its filters in). */
const CHARACTER_CLASSES: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  blank: " \\t",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: " \\t\\n\\x0b\\f\\r",
  upper: "A-Z",
  xdigit: "0-9A-Fa-f",
};

/** GNU escapes glibc accepts outside brackets, as JavaScript. */
const GNU_ESCAPES: Readonly<Record<string, string>> = {
  w: "[0-9A-Za-z_]",
  W: "[^0-9A-Za-z_]",
  s: "[ \\t\\n\\x0b\\f\\r]",
  S: "[^ \\t\\n\\x0b\\f\\r]",
};

/** GNU anchors glibc accepts outside brackets, as JavaScript; none can be repeated. */
const GNU_ANCHORS: Readonly<Record<string, string>> = {
  b: "\\b",
  B: "\\B",
  "<": "\\b(?=[0-9A-Za-z_])",
  ">": "\\b(?<=[0-9A-Za-z_])",
  "`": "^",
  "'": "$",
};

/** glibc's `RE_DUP_MAX`: the largest count in `{m,n}`. */
const DUP_MAX = 0x7fff;

/** Why an ERE does not compile. */
export class PosixRegexError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong, and where.
   */
  constructor(message: string) {
    super(message);
    this.name = "PosixRegexError";
  }
}

/**
 * Translates a POSIX ERE to the source of an equivalent JavaScript regular
 * expression (to be compiled without flags).
 *
 * @param source The ERE, as written in a `Filter` header.
 * @returns The JavaScript source.
 * @throws {PosixRegexError} when glibc would refuse to compile it.
 */
export function translatePosixEre(source: string): string {
  return new EreTranslator(source).translate();
}

/**
 * Compiles a POSIX ERE to a JavaScript `RegExp` matching the same texts; see
 * {@linkcode translatePosixEre}.
 *
 * @param source The ERE.
 * @returns The compiled expression (no flags, so `test` keeps no state).
 * @throws {PosixRegexError} when glibc would refuse to compile it.
 */
export function compilePosixEre(source: string): RegExp {
  return new RegExp(translatePosixEre(source));
}

/** One pass over an ERE, writing JavaScript as it goes. */
class EreTranslator {
  readonly #source: string;
  #at = 0;
  #out = "";
  /** Output offset where the last repeatable atom starts, or -1 where a repeat is invalid. */
  #atomStart = -1;
  /** Whether that atom already carries a repeat (`a**` needs a group in JavaScript). */
  #repeated = false;
  #groupsOpened = 0;
  readonly #groupsClosed = new Set<number>();
  /** Open groups: their number and where their "(" is in the output. */
  readonly #open: { group: number; start: number; consumedNothing: boolean }[] = [];
  /**
   * Whether no atom can have been matched before this point of the pattern.
   * glibc lets a `^` after a newline (a `$` before one) hold only when the
   * match itself crosses that newline, so a leading `^` (trailing `$`)
   * anchors the whole text and one inside the pattern also holds next to a
   * newline.
   */
  #consumedNothing = true;

  constructor(source: string) {
    this.#source = source;
  }

  translate(): string {
    const source = this.#source;
    while (this.#at < source.length) {
      const char = source[this.#at++]!;
      switch (char) {
        case "\\":
          this.#escape();
          break;
        case "[":
          this.#atom(this.#bracket());
          break;
        case ".":
          this.#atom("[\\s\\S]");
          break;
        case "^":
          this.#anchor(this.#consumedNothing ? "^" : "(?:^|(?<=\\n))");
          break;
        case "$":
          this.#anchor(this.#atEnd() ? "$" : "(?:$|(?=\\n))");
          break;
        case "(":
          this.#open.push({
            group: ++this.#groupsOpened,
            start: this.#out.length,
            consumedNothing: this.#consumedNothing,
          });
          this.#out += "(";
          this.#atomStart = -1;
          break;
        case ")":
          this.#close();
          break;
        case "|":
          this.#out += "|";
          this.#atomStart = -1;
          this.#consumedNothing = this.#open.at(-1)?.consumedNothing ?? true;
          break;
        case "*":
        case "+":
        case "?":
          this.#repeat(char);
          break;
        case "{":
          this.#repeat(this.#interval());
          break;
        default:
          this.#atom(literal(char));
      }
    }
    if (this.#open.length > 0) throw new PosixRegexError(`Unmatched "(" in "${source}"`);
    return this.#out;
  }

  #atom(text: string, start = this.#out.length): void {
    this.#out += text;
    this.#consumedNothing = false;
    this.#atomStart = start;
    this.#repeated = false;
  }

  #anchor(text: string): void {
    this.#out += text;
    this.#atomStart = -1;
  }

  /** Whether only anchors, `)` and the end (or a `|`) follow the current point. */
  #atEnd(): boolean {
    return /^(?:[)^$]|\\[bB<>`'])*(?:\||$)/.test(this.#source.slice(this.#at));
  }

  #close(): void {
    const open = this.#open.pop();
    if (open === undefined) {
      // glibc reads an unmatched ")" as a literal (RE_UNMATCHED_RIGHT_PAREN_ORD).
      this.#atom("\\)");
      return;
    }
    this.#groupsClosed.add(open.group);
    this.#atom(")", open.start);
  }

  #repeat(quantifier: string): void {
    if (this.#atomStart < 0) {
      throw new PosixRegexError(
        `Nothing to repeat before "${quantifier}" at offset ${this.#at - 1} in "${this.#source}"`,
      );
    }
    if (this.#repeated) {
      this.#out = this.#out.slice(0, this.#atomStart) + "(?:" + this.#out.slice(this.#atomStart) +
        ")";
    }
    this.#out += quantifier;
    this.#repeated = true;
  }

  /** Reads `{m}`, `{m,}`, `{m,n}` or `{,n}` after the `{`; returns it for JavaScript. */
  #interval(): string {
    const match = /^(\d*)(,?)(\d*)\}/.exec(this.#source.slice(this.#at));
    if (match === null || (match[1] === "" && match[2] === "")) {
      throw new PosixRegexError(`Invalid interval at offset ${this.#at - 1} in "${this.#source}"`);
    }
    this.#at += match[0].length;
    const min = match[1] === "" ? 0 : Number(match[1]);
    const max = match[2] === "" ? min : match[3] === "" ? undefined : Number(match[3]);
    if (min > DUP_MAX || (max !== undefined && (max > DUP_MAX || max < min))) {
      throw new PosixRegexError(`Invalid interval "${match[0]}" in "${this.#source}"`);
    }
    return max === min ? `{${min}}` : `{${min},${max ?? ""}}`;
  }

  #escape(): void {
    const char = this.#source[this.#at++];
    if (char === undefined) {
      throw new PosixRegexError(`Trailing backslash in "${this.#source}"`);
    }
    if (char >= "1" && char <= "9") {
      if (!this.#groupsClosed.has(Number(char))) {
        throw new PosixRegexError(`Invalid back reference "\\${char}" in "${this.#source}"`);
      }
      this.#atom(`(?:\\${char})`);
      return;
    }
    const gnu = GNU_ESCAPES[char];
    if (gnu !== undefined) return this.#atom(gnu);
    const anchor = GNU_ANCHORS[char];
    if (anchor !== undefined) return this.#anchor(anchor);
    this.#atom(literal(char));
  }

  /** Reads a bracket expression after its `[`; returns it as a JavaScript class. */
  #bracket(): string {
    const source = this.#source;
    let negated = false;
    if (source[this.#at] === "^") {
      negated = true;
      this.#at++;
    }
    let members = "";
    let first = true;
    for (;;) {
      if (this.#at >= source.length) {
        throw new PosixRegexError(`Unmatched "[" in "${source}"`);
      }
      if (source[this.#at] === "]" && !first) {
        this.#at++;
        break;
      }
      first = false;
      const start = this.#bracketElement();
      const range = source[this.#at] === "-" && this.#at + 1 < source.length &&
        source[this.#at + 1] !== "]";
      if (start.kind === "class" && range) {
        throw new PosixRegexError(`Invalid range start in "${source}"`);
      }
      if (
        start.kind === "char" && source[this.#at] === "-" && this.#at + 1 < source.length &&
        source[this.#at + 1] !== "]"
      ) {
        this.#at++;
        const end = this.#bracketElement();
        if (end.kind !== "char" || end.value < start.value) {
          throw new PosixRegexError(`Invalid range end in "${source}"`);
        }
        members += classChar(start.value) + "-" + classChar(end.value);
      } else {
        members += start.kind === "char" ? classChar(start.value) : start.value;
      }
    }
    return `[${negated ? "^" : ""}${members}]`;
  }

  /** One bracket element: a character, `[.c.]`, `[=c=]` or `[:class:]`. */
  #bracketElement(): { kind: "char" | "class"; value: string } {
    const source = this.#source;
    const char = source[this.#at]!;
    const kind = source[this.#at + 1];
    if (char === "[" && (kind === "." || kind === "=" || kind === ":")) {
      const end = source.indexOf(kind + "]", this.#at + 2);
      if (end < 0) throw new PosixRegexError(`Unmatched "[${kind}" in "${source}"`);
      const name = source.slice(this.#at + 2, end);
      this.#at = end + 2;
      if (kind === ":") {
        const members = CHARACTER_CLASSES[name];
        if (members === undefined) {
          throw new PosixRegexError(`Unknown character class "${name}" in "${source}"`);
        }
        return { kind: "class", value: members };
      }
      if (name.length !== 1) {
        throw new PosixRegexError(`Unknown collating element "${name}" in "${source}"`);
      }
      return { kind: "char", value: name };
    }
    this.#at++;
    return { kind: "char", value: char };
  }
}

/** A character outside brackets, escaped for JavaScript where needed. */
function literal(char: string): string {
  if (/[\\^$.|?*+()[\]{}\/]/.test(char)) return "\\" + char;
  return controlOrSelf(char);
}

/** A character inside a JavaScript class. */
function classChar(char: string): string {
  if (/[\\\]\[^\-]/.test(char)) return "\\" + char;
  return controlOrSelf(char);
}

function controlOrSelf(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? "\\x" + code.toString(16).padStart(2, "0") : char;
}
