import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject, JsonValue } from '@backstage/types';
import { withFormDefaults } from '../formDefaults';
import { examples } from './formDefaults.examples';

/** Id of the action. */
export const FORM_DEFAULTS_ACTION_ID = 'ecs-deploy:form-defaults';

/**
 * `ecs-deploy:form-defaults`: the template's values completed with the defaults of its parameter
 * schema, as the form fills them. The scaffolder's API takes values as given (it validates, it does
 * not fill defaults), so without this step a task created through the API with only the required
 * values would run on whatever each action assumes; with it, the parameter schema is the one place
 * a default is written. A template passes its own `parameters` through a YAML alias.
 *
 * @public
 */
export function createFormDefaultsAction() {
  return createTemplateAction({
    id: FORM_DEFAULTS_ACTION_ID,
    description:
      "Completes the template's values with the defaults of its parameter schema, as the form fills them (nested objects, oneOf dependencies), so an API call with only the required values gets what the form's defaults give.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        parameters: z =>
          z
            .union([z.array(z.record(z.unknown())), z.record(z.unknown())])
            .describe(
              "The template's spec.parameters (one schema or the list of form pages); in a template, a YAML alias of them.",
            ),
        values: z =>
          z
            .record(z.unknown())
            .describe('The values as given: ${{ parameters }}.'),
      },
      output: {
        values: z =>
          z
            .record(z.unknown())
            .describe('The values with every absent default filled in.'),
      },
    },
    async handler(ctx) {
      const values = withFormDefaults(
        ctx.input.parameters as JsonValue,
        ctx.input.values as JsonObject,
      );
      const filled = Object.keys(values).filter(
        key => !(key in ctx.input.values),
      );
      ctx.logger.info(
        filled.length
          ? `Defaults of the parameter schema for ${filled.join(', ')}`
          : 'Every value was given; no default applied',
      );
      ctx.output('values', values);
    },
  });
}
