/** The event the NATS benchmark sends. */

/** A UserEvent frame of about the size of a real channel event (~400 bytes). */
export function eventFields(i: number, sentAt = "0"): Record<string, string> {
  return {
    Event: "UserEvent",
    Privilege: "user,all",
    UserEvent: "Bench",
    Channel: `PJSIP/trunk-${String(i).padStart(8, "0")}`,
    ChannelState: "6",
    ChannelStateDesc: "Up",
    CallerIDNum: "+4930123456",
    CallerIDName: "Bench Caller",
    ConnectedLineNum: "+4930654321",
    Context: "from-trunk",
    Exten: "200",
    Priority: "1",
    Uniqueid: `1700000000.${i}`,
    Linkedid: `1700000000.${i}`,
    SentAt: sentAt,
  };
}
