/*
 * A template's values completed with the defaults of its parameter schema, the way the scaffolder's
 * form (react-jsonschema-form) fills them before it submits: each absent property that has a
 * `default` gets it, in nested objects too (created when absent and they have defaults), and a
 * schema dependency adds the defaults of the
 * `oneOf` branch the values select (by `const` or `enum`). A task created through the API with
 * only the required values then gets exactly what the form's defaults give.
 */
import type { JsonObject, JsonValue } from '@backstage/types';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `branch` of a `oneOf` dependency is the one `value` of `key` selects. */
function selects(branch: JsonObject, key: string, value: JsonValue): boolean {
  const condition = isObject(branch.properties)
    ? branch.properties[key]
    : undefined;
  if (!isObject(condition)) {
    return false;
  }
  if ('const' in condition) {
    return JSON.stringify(condition.const) === JSON.stringify(value);
  }
  return (
    Array.isArray(condition.enum) &&
    condition.enum.some(e => JSON.stringify(e) === JSON.stringify(value))
  );
}

function fillObject(schema: JsonObject, values: JsonObject): JsonObject {
  const out: JsonObject = { ...values };
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [key, property] of Object.entries(properties)) {
    if (!isObject(property)) continue;
    if (out[key] === undefined && property.default !== undefined) {
      // A copy (a default is JSON): later steps may not share the schema's objects.
      out[key] = JSON.parse(JSON.stringify(property.default));
    }
    // An object's own defaults, also when the object is absent (the form creates it).
    const value = out[key];
    if (
      isObject(property.properties) &&
      (value === undefined || isObject(value))
    ) {
      const nested = fillObject(property, value ?? {});
      if (value !== undefined || Object.keys(nested).length > 0) {
        out[key] = nested;
      }
    }
  }
  const dependencies = isObject(schema.dependencies) ? schema.dependencies : {};
  for (const [key, dependency] of Object.entries(dependencies)) {
    const value = out[key];
    // Dependencies apply to present values; an array dependency only lists required keys.
    if (value === undefined || !isObject(dependency)) continue;
    const branches = Array.isArray(dependency.oneOf)
      ? dependency.oneOf.filter(
          (b): b is JsonObject => isObject(b) && selects(b, key, value),
        )
      : [dependency];
    for (const branch of branches.slice(0, 1)) {
      Object.assign(out, fillObject(branch, out));
    }
  }
  return out;
}

/**
 * `values` with the defaults of `parameters`: a template's `spec.parameters`, one schema or the
 * list of its form pages. Given values are kept as they are.
 */
export function withFormDefaults(
  parameters: JsonValue,
  values: JsonObject,
): JsonObject {
  const pages = Array.isArray(parameters) ? parameters : [parameters];
  return pages.reduce<JsonObject>(
    (filled, page) => (isObject(page) ? fillObject(page, filled) : filled),
    values,
  );
}
