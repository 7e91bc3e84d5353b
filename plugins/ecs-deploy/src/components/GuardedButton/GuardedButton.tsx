import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

/**
 * A button gated by a permission: disabled while the permission loads, and disabled with the
 * reason shown (as text and tooltip) when the caller may not use it.
 */
export function GuardedButton(props: {
  label: string;
  /** A longer accessible name (it starts with `label`), when several such buttons share a view. */
  ariaLabel?: string;
  loading: boolean;
  allowed: boolean;
  deniedReason: string;
  onClick: () => void;
  color?: 'primary' | 'secondary' | 'default';
  startIcon?: ReactNode;
}) {
  const { label, loading, allowed, deniedReason } = props;
  if (loading) {
    return (
      <Button
        variant="outlined"
        disabled
        startIcon={props.startIcon}
        aria-label={props.ariaLabel}
      >
        {label}
      </Button>
    );
  }
  if (!allowed) {
    return (
      <Box display="inline-flex" flexDirection="column" alignItems="flex-start">
        <Tooltip title={deniedReason}>
          {/* A disabled button fires no events: the span carries the tooltip. */}
          <span>
            <Button
              variant="outlined"
              disabled
              startIcon={props.startIcon}
              aria-label={props.ariaLabel}
            >
              {label}
            </Button>
          </span>
        </Tooltip>
        <Typography variant="caption" color="textSecondary">
          {deniedReason}
        </Typography>
      </Box>
    );
  }
  return (
    <Button
      variant="outlined"
      color={props.color ?? 'primary'}
      onClick={props.onClick}
      startIcon={props.startIcon}
      aria-label={props.ariaLabel}
    >
      {label}
    </Button>
  );
}
