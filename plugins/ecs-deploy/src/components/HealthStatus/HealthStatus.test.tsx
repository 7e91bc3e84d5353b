import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { HealthState } from '@deployment-portal/plugin-ecs-deploy-common';
import { HealthStatus } from './HealthStatus';

describe('HealthStatus', () => {
  it.each<[HealthState, string, string]>([
    ['healthy', 'Healthy', 'status-ok'],
    ['progressing', 'Progressing', 'status-pending'],
    ['degraded', 'Degraded', 'status-warning'],
    ['failed', 'Failed', 'status-error'],
    ['not-deployed', 'Not deployed', 'status-aborted'],
    ['unknown', 'Unknown', 'status-aborted'],
  ])(
    'shows %s as an icon and the label "%s"',
    async (health, label, testId) => {
      renderInTestApp(<HealthStatus health={health} />);
      const text = await screen.findByText(label);
      expect(text).toBeVisible();
      // The label is not inside the aria-hidden icon, so screen readers read it.
      expect(text.closest('[aria-hidden="true"]')).toBeNull();
      expect(screen.getByTestId(testId)).toBeInTheDocument();
    },
  );
});
