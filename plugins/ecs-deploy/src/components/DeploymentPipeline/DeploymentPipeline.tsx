import { Fragment } from 'react';
import Box from '@material-ui/core/Box';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { makeStyles } from '@material-ui/core/styles';
import type {
  AuditRecord,
  EcsDeployInfo,
  EntityDeploymentStatus,
  EnvironmentStatus,
  PromotionPath,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { usePromotionPreviews } from '../../hooks/usePromotionPreviews';
import { environmentTitle, sortEnvironments } from '../../lib/format';
import {
  connectedStages,
  imageDifferences,
  lastChange,
  pathKey,
  promotionArrow,
} from '../../lib/pipeline';
import { RollbackButton } from '../RollbackButton';
import { DeploymentSteps } from './DeploymentSteps';
import { PromotionArrow } from './PromotionArrow';
import { StageColumn } from './StageColumn';

const useStyles = makeStyles(theme => ({
  pipeline: {
    display: 'grid',
    alignItems: 'stretch',
    columnGap: theme.spacing(1),
    rowGap: theme.spacing(2),
    [theme.breakpoints.down('sm')]: {
      gridTemplateColumns: 'minmax(0, 1fr) !important',
    },
  },
  connector: {
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    gap: theme.spacing(1),
  },
  plainArrow: {
    color: theme.palette.text.secondary,
    [theme.breakpoints.down('sm')]: {
      transform: 'rotate(90deg)',
      margin: 'auto',
    },
  },
  others: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginTop: theme.spacing(2),
  },
}));

/** Props of {@link DeploymentPipeline}. */
export interface DeploymentPipelineProps {
  entityRef: string;
  status: EntityDeploymentStatus;
  info?: EcsDeployInfo;
  /** Promotions and rollbacks, newest first (who deployed what runs now). */
  history?: AuditRecord[];
  /** Who approves promotions that need an approval (the entity's owner), for the arrow. */
  approvers?: string;
  /**
   * The overview card's form: no cluster line and no rollback; a plain arrow between the stages
   * and the promotions in a row beneath them.
   */
  compact?: boolean;
  onStarted?: () => void;
}

function revisionDiffers(a?: EnvironmentStatus, b?: EnvironmentStatus) {
  const x = a?.service?.taskDefinition;
  const y = b?.service?.taskDefinition;
  return Boolean(x && y && x.family === y.family && x.revision !== y.revision);
}

/**
 * The environments of an entity left to right in configured order, with an arrow carrying the
 * promotion between the stages a promotion path connects: Promote, or why not (nothing to
 * promote, or the guards of the backend's promotion preview).
 */
export function DeploymentPipeline(props: DeploymentPipelineProps) {
  const { entityRef, status, info, compact } = props;
  const classes = useStyles();
  const stages = sortEnvironments(status.environments, info);
  const titles = (env: string) => environmentTitle(env, info);
  const paths = status.promotionPaths;
  // The backend's guards (freeze windows, rollouts in flight, ownership, …), read with each status.
  const previews = usePromotionPreviews(entityRef, paths, status);
  const adjacent = (path: PromotionPath, i: number) =>
    i > 0 &&
    path.from === stages[i - 1].environment &&
    path.to === stages[i].environment;
  const others = paths.filter(p => !stages.some((_, i) => adjacent(p, i)));
  const arrow = (path: PromotionPath) => (
    <PromotionArrow
      key={pathKey(path)}
      entityRef={entityRef}
      path={path}
      state={promotionArrow(
        path,
        status.environments,
        previews[pathKey(path)],
        props.approvers,
      )}
      titles={titles}
      onStarted={props.onStarted}
      layout={compact ? 'row' : 'column'}
    />
  );
  // The card is narrow: a plain arrow between the stages, the promotions in a row beneath them.
  const connector = (i: number) =>
    compact ? (
      <ArrowForwardIcon className={classes.plainArrow} aria-hidden />
    ) : (
      paths.filter(p => adjacent(p, i)).map(arrow)
    );
  const beneath = compact ? paths : others;
  const columns = stages
    .map((_, i) => (i === 0 ? 'minmax(0, 1fr)' : 'auto minmax(0, 1fr)'))
    .join(' ');

  return (
    <Box>
      <div
        className={classes.pipeline}
        style={{ gridTemplateColumns: columns }}
      >
        {stages.map((stage, i) => (
          <Fragment key={stage.environment}>
            {i > 0 && <div className={classes.connector}>{connector(i)}</div>}
            <StageColumn
              status={stage}
              title={titles(stage.environment)}
              titles={titles}
              compact={compact}
              change={lastChange(stage, props.history ?? [])}
              differences={imageDifferences(
                stage.environment,
                status.environments,
                paths,
              )}
              revisionDiffers={connectedStages(stage.environment, paths).some(
                env =>
                  revisionDiffers(
                    stage,
                    status.environments.find(s => s.environment === env),
                  ),
              )}
              deployment={
                !compact &&
                stage.deployment && (
                  <DeploymentSteps
                    entityRef={entityRef}
                    environment={stage.environment}
                    title={titles(stage.environment)}
                    progress={stage.deployment}
                    onChanged={props.onStarted}
                  />
                )
              }
              actions={
                !compact &&
                stage.service && (
                  <RollbackButton
                    entityRef={entityRef}
                    environment={stage.environment}
                    environmentTitle={titles(stage.environment)}
                    onStarted={props.onStarted}
                  />
                )
              }
            />
          </Fragment>
        ))}
      </div>
      {beneath.length > 0 && (
        <div className={classes.others}>{beneath.map(arrow)}</div>
      )}
    </Box>
  );
}
