import { z } from 'zod';
import { NAME_PATTERN } from './selector.js';

/*
 * Field schemas shared by every inventory format. Values from INI files arrive as strings, so numbers
 * and booleans also accept their usual spellings.
 */

const NAME_RULE = 'letters, digits, ".", "_" or "-", starting with a letter or digit, at most 63 characters';

export const nameField = z.string().regex(NAME_PATTERN, { error: `must be ${NAME_RULE}` });

export const hostNameField = nameField.refine((name) => name !== 'all', {
  error: "'all' is reserved: it selects every host",
});

/** A DNS name, IPv4 or IPv6 address; never starts with "-", so it cannot pass for an ssh option. */
export const addressField = z
  .string()
  .regex(/^(?!-)[A-Za-z0-9.:-]{1,253}$/, { error: 'must be a host name or an IP address' });

const PORT_RULE = { error: 'must be a number from 1 to 65535' };

export const portField = z
  .union(
    [
      z.number(),
      z
        .string()
        .regex(/^\d{1,5}$/)
        .transform(Number),
    ],
    PORT_RULE,
  )
  .pipe(z.number().int(PORT_RULE).min(1, PORT_RULE).max(65535, PORT_RULE));

export const userField = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}$/, {
  error: 'must be a user name (letters, digits, ".", "_", "@", "-")',
});

export const keyFileField = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !/[\p{Cc}]/u.test(path), { error: 'must not contain control characters' });

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

/** Ansible's booleans: true/false, yes/no, on/off, 1/0, any case. */
export const booleanField = z.union([z.boolean(), z.number(), z.string()]).transform((value, ctx) => {
  const word = String(value).toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  ctx.addIssue({
    code: 'custom',
    message: `must be true or false, not '${String(value).slice(0, 20)}'`,
    input: value,
  });
  return z.NEVER;
});

/** Another inventory host's name, or [user@]host[:port] to jump through. */
export const bastionField = z
  .string()
  .regex(/^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,63}@)?(?!-)[A-Za-z0-9.-]{1,253}(?::\d{1,5})?$/, {
    error: 'must be a host name or user@host[:port]',
  });

const tagValueField = z
  .union([z.string(), z.number(), z.boolean()])
  .transform(String)
  .pipe(z.string().regex(NAME_PATTERN, { error: `tag values must be ${NAME_RULE}` }));

export const tagsField = z.record(
  z.string().regex(NAME_PATTERN, { error: `tag keys must be ${NAME_RULE}` }),
  tagValueField,
);

/** Path segments of a zod issue as the user wrote them: `hosts.web-01.port`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}
