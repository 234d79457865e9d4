/**
 * How a dialled channel fails, as Asterisk reports it: the dial status, the
 * hangup cause, the `OriginateResponse` reason and what the CDR says.
 *
 * @module
 */

/** One way a dial fails. */
export interface Failure {
  readonly dialStatus: string;
  readonly cause: number;
  readonly reason: number;
  readonly disposition: string;
  readonly application: string;
  readonly applicationData: string;
}

/** The far end is busy. */
export const BUSY_FAILURE: Failure = {
  dialStatus: "BUSY",
  cause: 17,
  reason: 5,
  disposition: "BUSY",
  application: "Busy",
  applicationData: "5",
};

/** The network is congested. */
export const CONGESTION_FAILURE: Failure = {
  dialStatus: "CONGESTION",
  cause: 34,
  reason: 8,
  disposition: "CONGESTION",
  application: "Congestion",
  applicationData: "5",
};

/** The far end rang until the timeout. */
export const NOANSWER_FAILURE: Failure = {
  dialStatus: "NOANSWER",
  cause: 19,
  reason: 3,
  disposition: "NO ANSWER",
  application: "Ringing",
  applicationData: "",
};

/** The call was hung up while it rang. */
export const CANCEL_FAILURE: Failure = {
  dialStatus: "CANCEL",
  cause: 16,
  reason: 1,
  disposition: "NO ANSWER",
  application: "Ringing",
  applicationData: "",
};
