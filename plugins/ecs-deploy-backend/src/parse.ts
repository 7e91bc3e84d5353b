import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Parses with a shared schema; a 400 naming every bad field and value otherwise. */
export function parse<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map(i => {
        const field = i.path.length ? i.path.join('.') : what;
        const bad = i.path.reduce<any>((v, k) => v?.[k], value);
        return `${field}${
          bad !== undefined ? ` ${JSON.stringify(bad)}` : ''
        }: ${i.message}`;
      })
      .join('; ');
    throw new InputError(`Invalid ${what}: ${issues}`);
  }
  return result.data;
}
