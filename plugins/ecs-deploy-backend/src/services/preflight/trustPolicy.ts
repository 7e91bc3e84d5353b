/*
 * Whether an IAM role's trust policy lets a service principal assume it. Pure.
 */

type Statement = {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | { Service?: string | string[] };
  Condition?: unknown;
};

const list = <T>(v: T | T[] | undefined): T[] => {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
};

/** The trust policy (the URL-encoded JSON IAM answers with, or plain JSON) allows `service` to assume the role. */
export function trustsService(document: string, service: string): boolean {
  let policy: { Statement?: Statement | Statement[] };
  try {
    policy = JSON.parse(
      document.trimStart().startsWith('{')
        ? document
        : decodeURIComponent(document),
    );
  } catch {
    return false;
  }
  const statements = list(policy.Statement);
  const allows = (s: Statement) =>
    s.Effect === 'Allow' &&
    list(s.Action).some(a => ['sts:AssumeRole', 'sts:*', '*'].includes(a)) &&
    (s.Principal === '*' ||
      (typeof s.Principal === 'object' &&
        list(s.Principal.Service).includes(service)));
  const denies = (s: Statement) =>
    s.Effect === 'Deny' &&
    s.Condition === undefined &&
    list(s.Action).some(a => ['sts:AssumeRole', 'sts:*', '*'].includes(a)) &&
    (s.Principal === '*' ||
      (typeof s.Principal === 'object' &&
        list(s.Principal.Service).includes(service)));
  return statements.some(allows) && !statements.some(denies);
}
