import type { Block, Button, View } from '../views.js';

export interface AlertInput {
  severity: 'warning' | 'critical';
  subject: string;
  message: string;
  /** The on-call group to notify (a handle, e.g. `sre-oncall`). */
  mention?: string;
  fields?: { label: string; value: string }[];
  buttons?: Button[];
}

/** An announcement nobody asked for: a halted wave, an unreachable host, a changed host key. */
export function alertView(input: AlertInput): View {
  const alert = {
    severity: input.severity,
    subject: input.subject,
    message: input.message,
    ...(input.mention === undefined ? {} : { mention: input.mention }),
  };
  const blocks: Block[] = [{ type: 'text', text: input.message }];
  if (input.fields && input.fields.length > 0) blocks.push({ type: 'fields', fields: input.fields });
  if (input.buttons && input.buttons.length > 0) blocks.push({ type: 'actions', buttons: input.buttons });
  if (input.mention !== undefined) blocks.push({ type: 'text', text: `cc @${input.mention}`, muted: true });
  return {
    kind: 'alert',
    alert,
    title: input.subject,
    tone: input.severity === 'critical' ? 'error' : 'warning',
    blocks,
  };
}
