import { useState, type ReactNode } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  AuditRecord,
  EnvironmentStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { timelineItems } from '../../lib/timeline';
import { StatusLine } from '../HealthStatus';
import { RelativeTime } from '../RelativeTime';

/** Items shown before "Show all". */
const FIRST_ITEMS = 8;

const useStyles = makeStyles(theme => ({
  details: { display: 'block' },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'grid',
    gridTemplateColumns: '7rem 7rem minmax(0, 1fr)',
    columnGap: theme.spacing(2),
    padding: theme.spacing(0.75, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    [theme.breakpoints.down('xs')]: { gridTemplateColumns: '1fr' },
  },
  when: { whiteSpace: 'nowrap', color: theme.palette.text.secondary },
  source: { whiteSpace: 'nowrap' },
}));

/**
 * One environment's timeline, newest first and collapsible: deployments, ECS service events and
 * our promotions and rollbacks; `children` follow the list (tasks, logs).
 */
export function EnvironmentTimeline(props: {
  status: EnvironmentStatus;
  title: string;
  history: AuditRecord[];
  children?: ReactNode;
}) {
  const { status, title } = props;
  const classes = useStyles();
  const [showAll, setShowAll] = useState(false);
  const items = timelineItems(status, props.history);
  const shown = showAll ? items : items.slice(0, FIRST_ITEMS);
  const headingId = `ecs-timeline-${status.environment}`;

  let empty: string | undefined;
  if (items.length === 0) {
    empty =
      status.health === 'not-deployed'
        ? `${status.serviceName} is not deployed in ${title}. Once Terraform creates the service, its deployments and ECS events will appear here.`
        : `Nothing recorded yet. Deployments of ${status.serviceName}, ECS service events (tasks started, steady state, failures) and the promotions and rollbacks made here will appear here, newest first.`;
  }

  return (
    <Accordion defaultExpanded>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`${headingId}-content`}
        id={headingId}
      >
        <Typography variant="h6" component="h3">
          {title}: timeline
        </Typography>
        <Box ml={2} alignSelf="center">
          <Typography variant="body2" color="textSecondary">
            {items.length === 1 ? '1 entry' : `${items.length} entries`}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails className={classes.details}>
        {empty ? (
          <Typography variant="body2">{empty}</Typography>
        ) : (
          <ol className={classes.list} aria-label={`Timeline of ${title}`}>
            {shown.map(item => (
              <li key={item.id} className={classes.item}>
                <Typography variant="body2" className={classes.when}>
                  <RelativeTime iso={item.at} />
                </Typography>
                <Typography variant="body2" className={classes.source}>
                  <StatusLine status={item.status}>{item.source}</StatusLine>
                </Typography>
                <div>
                  <Typography variant="body2">{item.text}</Typography>
                  {item.detail && (
                    <Typography variant="caption" color="textSecondary">
                      {item.detail}
                    </Typography>
                  )}
                </div>
              </li>
            ))}
          </ol>
        )}
        {items.length > FIRST_ITEMS && (
          <Box mt={1}>
            <Button size="small" onClick={() => setShowAll(!showAll)}>
              {showAll
                ? `Show the latest ${FIRST_ITEMS}`
                : `Show all ${items.length} entries`}
            </Button>
          </Box>
        )}
        {props.children && <Box mt={2}>{props.children}</Box>}
      </AccordionDetails>
    </Accordion>
  );
}
