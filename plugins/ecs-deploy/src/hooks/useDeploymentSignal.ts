import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  ecsDeploySignalChannel,
  type EcsDeploySignal,
} from '@deployment-portal/plugin-ecs-deploy-common';

/**
 * Calls `onChange` whenever the backend signals that a promotion, rollback or promotion request
 * of `entityRef` changed state (for a group: of one of its services). Needs the signals plugin
 * in the app; without it nothing happens and polling keeps the views fresh. Returns whether
 * signals are available.
 */
export function useDeploymentSignal(
  entityRef: string,
  onChange: () => void,
): boolean {
  const { lastSignal, isSignalsAvailable } = useSignal<EcsDeploySignal>(
    ecsDeploySignalChannel(entityRef),
  );
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    if (lastSignal) {
      onChangeRef.current();
    }
  }, [lastSignal]);
  return isSignalsAvailable;
}
