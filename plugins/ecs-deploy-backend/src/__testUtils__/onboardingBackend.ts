/*
 * The onboarding tests' backend: the ECS deploy plugin over the emulator with team=payments
 * suggesting group:default/team-payments, group:default/platform as the admins, the given
 * catalog entities, and an auditor that records every event with its outcome.
 */
import type { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Server } from 'node:http';
import { ecsDeployPlugin } from '../plugin';
import { ecsDeployTestConfig } from './ecsFixtures';

/** One audited event and how it ended (`success` or `fail: <error name>`). */
export interface AuditedEvent {
  options: AuditorServiceCreateEventOptions;
  outcome?: string;
}

export async function startOnboardingBackend(
  endpoint: string,
  entities: Entity[],
): Promise<{ server: Server; audited: AuditedEvent[] }> {
  const audited: AuditedEvent[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const event: AuditedEvent = { options };
      audited.push(event);
      return {
        success: async () => {
          event.outcome = 'success';
        },
        fail: async o => {
          event.outcome = `fail: ${o.error.name}`;
        },
      };
    },
  });
  const { server } = await startTestBackend({
    features: [
      ecsDeployPlugin,
      auditor.factory,
      mockServices.rootConfig.factory({
        data: ecsDeployTestConfig(endpoint, {
          onboarding: {
            ownerTags: {
              keys: ['team'],
              groups: { payments: 'group:default/team-payments' },
            },
          },
          permissions: { adminGroups: ['group:default/platform'] },
        }),
      }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  return { server, audited };
}
