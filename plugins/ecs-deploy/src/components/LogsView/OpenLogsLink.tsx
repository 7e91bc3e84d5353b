import { Link } from '@backstage/core-components';
import type { DetectedProblem } from '@deployment-portal/plugin-ecs-deploy-common';
import { useLogsHref } from './logsLocation';

/**
 * For a problem that names its failing tasks: a link that opens their logs in the logs view of
 * this page. Nothing for other problems.
 */
export function OpenLogsLink(props: {
  environment: string;
  problem: DetectedProblem;
}) {
  const taskIds = props.problem.taskIds ?? [];
  const href = useLogsHref(props.environment, taskIds);
  if (taskIds.length === 0) return null;
  return (
    <Link to={href}>
      {taskIds.length === 1
        ? 'Open the logs of the failing task'
        : `Open the logs of the ${taskIds.length} failing tasks`}
    </Link>
  );
}
