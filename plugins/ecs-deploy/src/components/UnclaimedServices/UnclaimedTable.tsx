import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Checkbox from '@material-ui/core/Checkbox';
import LinearProgress from '@material-ui/core/LinearProgress';
import type {
  Adopter,
  UnclaimedService,
  UnclaimedServices,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { adoptDecision } from '../../lib/adoption';
import { EcsTable, Ellipsis, type EcsColumn } from '../EcsTable';
import { GuardedButton } from '../GuardedButton';
import type { UnclaimedQuery } from './unclaimedQuery';

/** Page sizes offered; the server pages. */
export const PAGE_SIZES = [25, 50, 100];

/** The key of a row: one ECS service in one environment. */
export const unclaimedKey = (s: UnclaimedService) =>
  `${s.environment}/${s.serviceName}`;

const REASONS: Record<string, (s: UnclaimedService) => string> = {
  'no-tag': () => 'No backstage:entity-ref tag',
  'unknown-entity': s => `Its tag names ${s.entityRefTag}, not in the catalog`,
};

function images(s: UnclaimedService) {
  if (s.containers.length === 0) return '—';
  const first = s.containers[0].image;
  return s.containers.length === 1
    ? first
    : `${first} (+${s.containers.length - 1})`;
}

/**
 * One page of unclaimed services: what each runs, whose its tags suggest it is, and Adopt where
 * the user may (else why not). Admins also select rows for a bulk adoption.
 */
export function UnclaimedTable(props: {
  services: UnclaimedServices;
  adopter: Adopter;
  environmentTitle: (name: string) => string;
  query: UnclaimedQuery;
  onChange: (change: Partial<UnclaimedQuery>) => void;
  loading: boolean;
  onAdopt: (service: UnclaimedService) => void;
  selected: Set<string>;
  onSelect: (service: UnclaimedService, selected: boolean) => void;
}) {
  const { services, adopter, query, onChange, selected } = props;
  const columns: EcsColumn<UnclaimedService>[] = [
    ...(adopter.admin
      ? [
          {
            id: 'select',
            title: 'Select',
            render: (s: UnclaimedService) => (
              <Checkbox
                size="small"
                checked={selected.has(unclaimedKey(s))}
                // A bulk adoption is for the suggested owners.
                disabled={
                  !s.suggestedOwner || !adoptDecision(s, adopter).allowed
                }
                onChange={e => props.onSelect(s, e.target.checked)}
                inputProps={{
                  'aria-label': `Select ${
                    s.serviceName
                  } in ${props.environmentTitle(s.environment)}`,
                }}
              />
            ),
          },
        ]
      : []),
    {
      id: 'service',
      title: 'ECS service',
      rowHeader: true,
      render: s => s.serviceName,
    },
    {
      id: 'environment',
      title: 'Environment',
      render: s => props.environmentTitle(s.environment),
    },
    {
      id: 'owner',
      title: 'Suggested owner',
      render: s =>
        s.suggestedOwner ? (
          <EntityRefLink entityRef={s.suggestedOwner} defaultKind="group" />
        ) : (
          'None'
        ),
    },
    {
      id: 'name',
      title: 'Suggested name',
      render: s => s.suggestedName,
    },
    {
      id: 'image',
      title: 'Image',
      render: s => (
        <Ellipsis
          text={images(s)}
          title={s.containers.map(c => `${c.name}: ${c.image}`).join('\n')}
        />
      ),
    },
    {
      id: 'tasks',
      title: 'Tasks',
      render: s => `${s.runningCount}/${s.desiredCount}`,
    },
    {
      id: 'reason',
      title: 'Unclaimed because',
      wraps: true,
      render: s => (REASONS[s.reason] ?? (() => s.reason))(s),
    },
    {
      id: 'adopt',
      title: 'Adopt',
      wraps: true,
      render: s => {
        const decision = adoptDecision(s, adopter);
        return (
          <GuardedButton
            label="Adopt"
            ariaLabel={`Adopt ${s.serviceName}`}
            loading={false}
            allowed={decision.allowed}
            deniedReason={decision.allowed ? '' : decision.reason}
            onClick={() => props.onAdopt(s)}
          />
        );
      },
    },
  ];
  return (
    <>
      {props.loading && <LinearProgress aria-label="Loading services" />}
      <EcsTable
        label="Unclaimed ECS services"
        rows={services.items}
        rowKey={unclaimedKey}
        columns={columns}
        busy={props.loading}
        paging={{
          page: Math.floor(query.offset / query.limit),
          pageSize: query.limit,
          pageSizes: PAGE_SIZES,
          total: services.total,
          onPageChange: page => onChange({ offset: page * query.limit }),
          onPageSizeChange: limit => onChange({ limit }),
        }}
      />
    </>
  );
}
