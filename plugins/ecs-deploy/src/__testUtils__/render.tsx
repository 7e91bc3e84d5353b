import type { ReactElement } from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ecsDeployApiRef, type EcsDeployApi } from '../api';
import { entity as defaultEntity } from './fixtures';

export interface RenderOptions {
  api: EcsDeployApi;
  entity?: Entity | null;
  /** Permission decision for every request (default ALLOW). */
  authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  pollIntervalSeconds?: number;
  identity?: Parameters<typeof mockApis.identity>[0];
  /** Entities the catalog API has (default none). */
  catalog?: Entity[];
}

/** Renders an element in a test app with the ECS deploy API, permissions and an entity. */
export function renderEcs(element: ReactElement, options: RenderOptions) {
  const entity = options.entity === undefined ? defaultEntity : options.entity;
  return renderInTestApp(
    entity ? (
      <EntityProvider entity={entity}>{element}</EntityProvider>
    ) : (
      element
    ),
    {
      apis: [
        [ecsDeployApiRef, options.api],
        mockApis.permission({
          authorize: options.authorize ?? AuthorizeResult.ALLOW,
        }),
        mockApis.identity(options.identity),
        [catalogApiRef, catalogApiMock({ entities: options.catalog ?? [] })],
      ],
      // The test app reads its configuration from here (a config API among `apis` is not used).
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
        ecsDeploy: {
          frontend: {
            pollIntervalSeconds: options.pollIntervalSeconds ?? 3600,
          },
        },
      },
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

/** Waits for the open dialog and its confirm button, clicks it, and returns the dialog. */
export async function confirmDialog(confirmLabel: string) {
  const dialog = await screen.findByRole('dialog');
  await userEvent.click(
    await within(dialog).findByRole('button', { name: confirmLabel }),
  );
  return dialog;
}
