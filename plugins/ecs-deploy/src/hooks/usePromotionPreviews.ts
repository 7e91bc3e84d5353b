import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type {
  PromotionPath,
  PromotionPreview,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsDeployApiRef } from '../api';
import { pathKey } from '../lib/pipeline';

/**
 * The backend's promotion preview of each path (what would refuse a promotion now: freeze
 * windows, rollouts in flight, ownership, …), read again whenever `refreshKey` changes (pass the
 * last status so that the previews follow its polling). A path whose preview cannot be read is
 * absent: the pipeline then says what the status alone shows.
 */
export function usePromotionPreviews(
  entityRef: string,
  paths: PromotionPath[],
  refreshKey: unknown,
): Record<string, PromotionPreview | undefined> {
  const api = useApi(ecsDeployApiRef);
  const key = paths.map(pathKey).join(',');
  const state = useAsync(async () => {
    const entries = await Promise.all(
      paths.map(async path => {
        const preview = await api
          .getPromotionPreview(entityRef, path)
          .catch(() => undefined);
        return [pathKey(path), preview] as const;
      }),
    );
    return Object.fromEntries(entries);
    // `key` stands for `paths`, whose identity changes with every status.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef, key, refreshKey]);
  return state.value ?? {};
}
