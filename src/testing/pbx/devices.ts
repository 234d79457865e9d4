/**
 * Device states and hints of the simulated PBX: what `DeviceStateChange`,
 * `ExtensionStatus`, `DeviceStateList`, `ExtensionStateList` and
 * `ExtensionState` report, with the field sets of the recordings.
 *
 * @module
 */

/** A hint: an extension whose status follows a device. */
export interface Hint {
  readonly exten: string;
  readonly context: string;
  readonly device: string;
}

/** Extension status numbers and texts, by device state (`ast_devstate_to_extenstate`). */
const EXTENSION_STATUS: Readonly<Record<string, readonly [number, string]>> = {
  UNKNOWN: [0, "Idle"],
  NOT_INUSE: [0, "Idle"],
  INUSE: [1, "InUse"],
  BUSY: [2, "Busy"],
  INVALID: [4, "Unavailable"],
  UNAVAILABLE: [4, "Unavailable"],
  RINGING: [8, "Ringing"],
  RINGINUSE: [9, "InUse&Ringing"],
  ONHOLD: [16, "Hold"],
};

/** The device states Asterisk knows, as `DeviceStateChange` writes them. */
export const DEVICE_STATES: readonly string[] = Object.keys(EXTENSION_STATUS);

/** The device states the PBX has seen, and its hints. */
export class DeviceStates {
  readonly #states = new Map<string, string>();
  readonly #hints: Hint[];

  /** @param hints `exten@context` to device, e.g. `{ "100@default": "PJSIP/100" }`. */
  constructor(hints: Readonly<Record<string, string>> = {}) {
    this.#hints = Object.entries(hints).map(([key, device]) => {
      const at = key.indexOf("@");
      return at < 0
        ? { exten: key, context: "default", device }
        : { exten: key.slice(0, at), context: key.slice(at + 1), device };
    });
  }

  /** A device's state; `UNKNOWN` for one never seen. */
  get(device: string): string {
    return this.#states.get(device) ?? "UNKNOWN";
  }

  /** Records a device's state. Returns the hints it changes (their status changed). */
  set(device: string, state: string): Hint[] {
    const before = this.get(device);
    this.#states.set(device, state);
    return this.#hints.filter((hint) =>
      hint.device === device && extensionStatus(before)[0] !== extensionStatus(state)[0]
    );
  }

  /** Every device with a known state, in the order first seen. */
  get devices(): [string, string][] {
    return [...this.#states];
  }

  /** The hints, in the order given. */
  get hints(): readonly Hint[] {
    return this.#hints;
  }

  /** The hint of `exten@context`, if there is one. */
  hint(exten: string, context: string): Hint | undefined {
    return this.#hints.find((hint) => hint.exten === exten && hint.context === context);
  }

  /** The fields of `ExtensionStatus` (an event or a list item) for a hint. */
  hintFields(hint: Hint): [string, string][] {
    const [status, text] = extensionStatus(this.get(hint.device));
    return [
      ["Exten", hint.exten],
      ["Context", hint.context],
      ["Hint", hint.device],
      ["Status", String(status)],
      ["StatusText", text],
    ];
  }
}

/** A device state's extension status: its number and text. */
export function extensionStatus(state: string): readonly [number, string] {
  return EXTENSION_STATUS[state] ?? [4, "Unavailable"];
}
