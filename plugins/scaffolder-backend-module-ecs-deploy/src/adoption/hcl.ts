/*
 * Plain values (strings, numbers, booleans, null, lists, objects) as HCL expressions, for the
 * module inputs of an adopted service. Strings are escaped like the templates' `hcl` filter.
 */
import { hclString } from '../render';

const KEY = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;

/** `value` as an HCL expression, nested blocks indented by two spaces from `indent`. */
export function hclValue(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value
      .map(v => `${inner}${hclValue(v, inner)},`)
      .join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries
    .map(
      ([k, v]) =>
        `${inner}${KEY.test(k) ? k : hclString(k)} = ${hclValue(v, inner)}`,
    )
    .join('\n')}\n${indent}}`;
}
