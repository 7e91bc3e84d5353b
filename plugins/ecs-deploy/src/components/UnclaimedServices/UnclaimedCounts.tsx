import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { UnclaimedServices } from '@deployment-portal/plugin-ecs-deploy-common';
import { teamName } from '../Filters';

/** "none": the services whose tags suggest no owner. */
const NO_OWNER = 'none';

/** One line of counts: each a toggle of its filter, pressed when it is the filter. */
function CountLine(props: {
  title: string;
  counts: Array<[string, string, number]>;
  selected?: string;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      mb={1}
      style={{ gap: 8 }}
    >
      <Typography variant="body2" component="h2">
        {props.title}
      </Typography>
      {props.counts.map(([value, label, count]) => {
        const pressed = props.selected === value;
        return (
          <Chip
            key={value}
            size="small"
            label={`${label}: ${count}`}
            color={pressed ? 'primary' : 'default'}
            variant={pressed ? 'default' : 'outlined'}
            aria-pressed={pressed}
            // Services without a suggested owner cannot be filtered on the server.
            disabled={value === NO_OWNER}
            onClick={() => props.onChange(pressed ? undefined : value)}
          />
        );
      })}
    </Box>
  );
}

/**
 * How many services nobody owns, per environment and per suggested team (of all of them, not
 * only those the filters match); a count filters by its environment or team.
 */
export function UnclaimedCounts(props: {
  counts: UnclaimedServices['counts'];
  environmentTitle: (name: string) => string;
  environment?: string;
  owner?: string;
  onChange: (change: { environment?: string; owner?: string }) => void;
}) {
  const { counts } = props;
  const owners = Object.entries(counts.owners).sort(
    ([a, x], [b, y]) => y - x || a.localeCompare(b),
  );
  return (
    <Box mb={2}>
      <CountLine
        title="Per environment"
        counts={Object.entries(counts.environments).map(([env, n]) => [
          env,
          props.environmentTitle(env),
          n,
        ])}
        selected={props.environment}
        onChange={environment => props.onChange({ environment })}
      />
      <CountLine
        title="Per suggested team"
        counts={owners.map(([owner, n]) => [
          owner,
          owner === NO_OWNER ? 'No suggestion' : teamName(owner),
          n,
        ])}
        selected={props.owner}
        onChange={owner => props.onChange({ owner })}
      />
    </Box>
  );
}
