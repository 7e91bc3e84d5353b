export { LogsView, type LogsViewProps } from './LogsView';
export { OpenLogsLink } from './OpenLogsLink';
export { useFocusedTask } from './logsLocation';
