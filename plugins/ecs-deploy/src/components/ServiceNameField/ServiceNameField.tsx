import { useEffect, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import { useApi } from '@backstage/core-plugin-api';
import type { ApiHolder } from '@backstage/core-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  serviceNameProblem,
  type ServiceNameCheck,
} from '@deployment-portal/plugin-ecs-deploy-common';
import useDebounce from 'react-use/esm/useDebounce';
import { ecsDeployApiRef } from '../../api';

/** How long typing must pause before the portal is asked whether a name is free. */
export const NAME_CHECK_DELAY_MS = 400;

/** What stands in the way of a name, or undefined when it may be taken. */
function checkProblem(check: ServiceNameCheck): string | undefined {
  if (check.available) {
    return undefined;
  }
  const reasons = check.conflicts.map(c => c.message);
  return reasons.length > 0 ? reasons.join('; ') : 'is not available';
}

/** The shared name rule, then the portal's answer: the first problem of `name`. */
async function nameProblem(
  name: string,
  checkServiceName: (name: string) => Promise<ServiceNameCheck>,
): Promise<string | undefined> {
  const rule = serviceNameProblem(name);
  if (rule) {
    return `"${name}" ${rule}`;
  }
  try {
    return checkProblem(await checkServiceName(name));
  } catch (e) {
    return `Could not check whether "${name}" is free: ${(e as Error).message}`;
  }
}

/**
 * Form validation of the field (on Next and on Create): the same answer the field shows, so the
 * form never moves on with a name the first step of the template would refuse.
 */
export const serviceNameValidation: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder }: { apiHolder: ApiHolder },
) => {
  const api = apiHolder.get(ecsDeployApiRef);
  if (!value || !api) {
    return;
  }
  const problem = await nameProblem(value, name => api.checkServiceName(name));
  if (problem) {
    validation.addError(problem);
  }
};

/**
 * `ui:field: EcsServiceName`: the new service's name. The shared rule answers at once; whether
 * the name is free (no entity, no ECS service in any environment) is asked once typing pauses.
 */
export function ServiceNameField(props: FieldExtensionComponentProps<string>) {
  const {
    onChange,
    required,
    schema: { title = 'Name', description },
    rawErrors,
    formData,
    idSchema,
    uiSchema,
  } = props;
  const api = useApi(ecsDeployApiRef);
  const value = formData ?? '';
  const [settled, setSettled] = useState(value);
  useDebounce(() => setSettled(value), NAME_CHECK_DELAY_MS, [value]);

  // The portal's answer for the last name typing paused on; an answer for an older name is dropped.
  const [answer, setAnswer] = useState<{ name: string; problem?: string }>();
  useEffect(() => {
    if (!settled || serviceNameProblem(settled)) {
      return undefined;
    }
    let latest = true;
    nameProblem(settled, name => api.checkServiceName(name)).then(problem => {
      if (latest) {
        setAnswer({ name: settled, problem });
      }
    });
    return () => {
      latest = false;
    };
  }, [api, settled]);

  const rule = value ? serviceNameProblem(value) : undefined;
  const answered = answer?.name === value;
  let error: string | undefined;
  let helperText = uiSchema?.['ui:help'] ?? description;
  if (rule) {
    error = `"${value}" ${rule}`;
  } else if (answered && answer.problem) {
    error = answer.problem;
  } else if (answered) {
    helperText = `${value} is free`;
  } else if (value) {
    helperText = `Checking whether ${value} is free…`;
  }

  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      required={required}
      value={value}
      onChange={event => onChange(event.target.value)}
      margin="normal"
      error={Boolean(error) || (rawErrors?.length ?? 0) > 0}
      helperText={error ?? helperText}
      inputProps={{ autoFocus: uiSchema?.['ui:autofocus'] }}
      FormHelperTextProps={{ margin: 'dense', style: { marginLeft: 0 } }}
    />
  );
}
