import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ServiceNameField, serviceNameValidation } from './ServiceNameField';

export { ServiceNameField, serviceNameValidation } from './ServiceNameField';

/** The scaffolder form field `EcsServiceName`. */
export const ecsServiceNameFormField = createFormField({
  name: 'EcsServiceName',
  component: ServiceNameField,
  validation: serviceNameValidation,
});
