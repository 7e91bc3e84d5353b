import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type { ServiceEvent } from '@internal/plugin-ecs-deploy-common';
import { formatTime } from '../../lib/format';

/** Recent ECS service events, newest first. */
export function EventsList(props: { title: string; events: ServiceEvent[] }) {
  return (
    <>
      <Typography variant="subtitle1" component="h4">
        {props.title}
      </Typography>
      {props.events.length === 0 ? (
        <Typography variant="body2">No recent events.</Typography>
      ) : (
        <List dense aria-label={props.title}>
          {props.events.map(event => (
            <ListItem key={event.id} divider>
              <ListItemText
                primary={event.message}
                secondary={formatTime(event.createdAt)}
              />
            </ListItem>
          ))}
        </List>
      )}
    </>
  );
}
