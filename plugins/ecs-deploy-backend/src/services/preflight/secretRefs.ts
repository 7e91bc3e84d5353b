/*
 * Where a container secret's `valueFrom` points: an SSM parameter or a Secrets Manager secret,
 * in which account and region. Pure.
 */

/** A referenced secret, as the check looks it up. */
export type SecretRef =
  | { kind: 'parameter'; name: string; region?: string; account?: string }
  | { kind: 'secret'; id: string; region: string; account: string };

/**
 * `arn:aws:ssm:<region>:<account>:parameter/<name>` (or a parameter name in the task's own
 * account and region), `arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<stage>:<version>]`.
 */
export function parseSecretRef(valueFrom: string): SecretRef | undefined {
  const ssm = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12}):parameter(\/.+)$/.exec(
    valueFrom,
  );
  if (ssm) {
    // A name with slashes is stored with its leading slash; `parameter/x` is the name `x`.
    const path = ssm[3];
    const name = path.indexOf('/', 1) > 0 ? path : path.slice(1);
    return { kind: 'parameter', region: ssm[1], account: ssm[2], name };
  }
  const sm =
    /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:([^:]+)/.exec(
      valueFrom,
    );
  if (sm) {
    const id = valueFrom.split(':').slice(0, 7).join(':');
    return { kind: 'secret', region: sm[1], account: sm[2], id };
  }
  if (valueFrom.startsWith('arn:')) return undefined;
  return { kind: 'parameter', name: valueFrom };
}
