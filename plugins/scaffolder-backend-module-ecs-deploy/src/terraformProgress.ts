/*
 * What an apply is doing, read from Terraform's progress lines: the resources it started to create,
 * change or destroy and has not finished, and for how long Terraform says it has been at each
 * ("Still creating... [2m10s elapsed]"). A stopped apply names them.
 */

/** A resource Terraform started on and did not finish. */
export interface UnfinishedResource {
  /** e.g. module.service.aws_appautoscaling_target.this[0] */
  address: string;
  /** creating, modifying, destroying or reading */
  action: string;
  /** Terraform's last "elapsed" figure, e.g. 2m10s; undefined before its first "Still …" line. */
  elapsed?: string;
}

const ACTIONS: Record<string, string> = {
  Creating: 'creating',
  Modifying: 'modifying',
  Destroying: 'destroying',
  Reading: 'reading',
};
// "<address>: Creating..." / "<address>: Modifying... [id=x]"
const STARTED =
  /^(\S+): (Creating|Modifying|Destroying|Reading)\.\.\.(?: \[.*\])?$/;
// "<address>: Still creating... [10s elapsed]" / "... [id=x, 1m0s elapsed]"
const STILL =
  /^(\S+): Still (creating|modifying|destroying|reading)\.\.\. \[(?:.*, )?(\S+) elapsed\]$/;
// "<address>: Creation complete after 1s [id=x]", "... Destruction complete after 0s",
// "<address>: Read complete after 0s", "<address>: Creation errored after 3s"
const FINISHED =
  /^(\S+): (?:Creation|Modifications|Destruction|Read) (?:complete|errored) after /;

/** Follows an apply's output lines; {@link unfinished} says what it was still doing. */
export class TerraformProgress {
  private readonly pending = new Map<string, UnfinishedResource>();

  onLine(line: string): void {
    let match = STARTED.exec(line);
    if (match) {
      this.pending.set(match[1], {
        address: match[1],
        action: ACTIONS[match[2]],
      });
      return;
    }
    match = STILL.exec(line);
    if (match) {
      this.pending.set(match[1], {
        address: match[1],
        action: match[2],
        elapsed: match[3],
      });
      return;
    }
    match = FINISHED.exec(line);
    if (match) {
      this.pending.delete(match[1]);
    }
  }

  /** The resources started and not finished, in the order Terraform started them. */
  unfinished(): UnfinishedResource[] {
    return [...this.pending.values()];
  }
}
