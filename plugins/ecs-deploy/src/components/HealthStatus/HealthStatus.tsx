import type { ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { HealthState } from '@deployment-portal/plugin-ecs-deploy-common';

/** The kinds of status icon. */
export type StatusKind = 'ok' | 'pending' | 'warning' | 'error' | 'aborted';

const ICONS: Record<StatusKind, () => JSX.Element> = {
  ok: () => <StatusOK />,
  pending: () => <StatusPending />,
  warning: () => <StatusWarning />,
  error: () => <StatusError />,
  aborted: () => <StatusAborted />,
};

/**
 * A status icon followed by its text. The core-components status icons are `aria-hidden`
 * (children included), so the text is rendered beside them where assistive technology reads it.
 */
export function StatusLine(props: { status: StatusKind; children: ReactNode }) {
  const Icon = ICONS[props.status];
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      <Icon />
      <span>{props.children}</span>
    </span>
  );
}

/** The words shown next to the status icon: health is never shown by colour alone. */
export const HEALTH_LABELS: Record<HealthState, string> = {
  healthy: 'Healthy',
  progressing: 'Progressing',
  degraded: 'Degraded',
  failed: 'Failed',
  'not-deployed': 'Not deployed',
  unknown: 'Unknown',
};

const HEALTH_STATUS: Record<HealthState, StatusKind> = {
  healthy: 'ok',
  progressing: 'pending',
  degraded: 'warning',
  failed: 'error',
  'not-deployed': 'aborted',
  unknown: 'aborted',
};

/** Health of a service in one environment: icon and label. */
export function HealthStatus(props: { health: HealthState }) {
  return (
    <StatusLine status={HEALTH_STATUS[props.health] ?? 'aborted'}>
      {HEALTH_LABELS[props.health] ?? props.health}
    </StatusLine>
  );
}
