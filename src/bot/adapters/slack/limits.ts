/** Block Kit limits (https://docs.slack.dev/reference/block-kit): Slack rejects a message over any of them. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3000,
} as const;

/** Buttons per actions block: Slack allows 25, but more than 5 in a row wraps badly. */
export const BUTTONS_PER_BLOCK = 5;
