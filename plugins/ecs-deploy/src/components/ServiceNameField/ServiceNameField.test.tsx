import { useState } from 'react';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { ApiHolder } from '@backstage/core-plugin-api';
import { ecsDeployApiRef } from '../../api';
import { mockEcsDeployApi } from '../../__testUtils__/fixtures';
import {
  NAME_CHECK_DELAY_MS,
  ServiceNameField,
  serviceNameValidation,
} from './ServiceNameField';

const TAKEN = {
  name: 'search-api',
  available: false,
  conflicts: [
    {
      code: 'entity-exists' as const,
      message:
        'component:default/search-api already exists (owned by group:default/team-search)',
    },
  ],
};

function api() {
  return mockEcsDeployApi({
    checkServiceName: jest.fn(async (name: string) =>
      name === 'search-api' ? TAKEN : { name, available: true, conflicts: [] },
    ),
  });
}

/** The field as the scaffolder form holds it: controlled by form data. */
function Form() {
  const [value, setValue] = useState<string | undefined>();
  return (
    <ServiceNameField
      {...({} as any)}
      onChange={setValue}
      formData={value}
      required
      schema={{ title: 'Name', description: 'Entity and ECS service name' }}
      uiSchema={{}}
      idSchema={{ $id: 'root_name' } as any}
      rawErrors={[]}
    />
  );
}

async function renderField(ecs = api()) {
  await renderInTestApp(<Form />, { apis: [[ecsDeployApiRef, ecs]] });
  return { ecs, input: screen.getByRole('textbox', { name: /^Name/ }) };
}

describe('ServiceNameField', () => {
  it('shows the shared name rule at once, without asking the portal', async () => {
    jest.useFakeTimers();
    try {
      const user = userEvent.setup({
        advanceTimers: jest.advanceTimersByTime,
      });
      const { ecs, input } = await renderField();
      await user.type(input, 'Pay');
      expect(
        screen.getByText(/"Pay" must be 3-32 lowercase letters/),
      ).toBeInTheDocument();
      await user.clear(input);
      await user.type(input, 'admin');
      expect(
        await screen.findByText(/"admin" is a reserved word/),
      ).toBeInTheDocument();
      // Past the pause after typing: still no question for a name the rule refuses…
      await act(async () => {
        jest.advanceTimersByTime(NAME_CHECK_DELAY_MS + 1);
      });
      expect(ecs.checkServiceName).not.toHaveBeenCalled();
      // …while the same pause after a name the rule accepts asks the portal.
      await user.clear(input);
      await user.type(input, 'orders-api');
      await act(async () => {
        jest.advanceTimersByTime(NAME_CHECK_DELAY_MS + 1);
      });
      expect(ecs.checkServiceName.mock.calls).toEqual([['orders-api']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows why a taken name cannot be used once typing pauses', async () => {
    const { ecs, input } = await renderField();
    await userEvent.type(input, 'search-api');
    expect(
      await screen.findByText(
        'component:default/search-api already exists (owned by group:default/team-search)',
      ),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    // One question for the name typed, not one per keystroke.
    expect(ecs.checkServiceName.mock.calls).toEqual([['search-api']]);
  });

  it('says when a name is free', async () => {
    const { input } = await renderField();
    await userEvent.type(input, 'orders-api');
    expect(await screen.findByText('orders-api is free')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'false');
  });
});

describe('serviceNameValidation', () => {
  async function validate(value: string, ecs = api()) {
    const errors: string[] = [];
    const validation = {
      addError: (e: string) => errors.push(e),
    } as unknown as Parameters<typeof serviceNameValidation>[1];
    const apiHolder: ApiHolder = {
      get: ref => (ref.id === ecsDeployApiRef.id ? (ecs as any) : undefined),
    };
    await serviceNameValidation(value, validation, {
      apiHolder,
      formData: {},
      schema: {},
    });
    return errors;
  }

  it.each([
    ['orders-api', []],
    [
      'search-api',
      [
        'component:default/search-api already exists (owned by group:default/team-search)',
      ],
    ],
    ['pay--ments', ['"pay--ments" must not contain \'--\'']],
  ])('%s → %j', async (value, errors) => {
    expect(await validate(value)).toEqual(errors);
  });

  it('refuses a name it could not check', async () => {
    const ecs = api();
    ecs.checkServiceName.mockRejectedValue(
      new Error('503 Service Unavailable'),
    );
    expect(await validate('orders-api', ecs)).toEqual([
      'Could not check whether "orders-api" is free: 503 Service Unavailable',
    ]);
  });
});
