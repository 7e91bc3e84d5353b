/*
 * Every deployment event to the built-in notifier and to each notifier a module added, at once.
 * An added notifier that throws or takes longer than its time is logged with its name; the write
 * that caused the event is never failed or held up beyond that time by it.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EcsDeployNotifier } from '@deployment-portal/plugin-ecs-deploy-node';
import type { DeploymentEvent, DeploymentNotifier } from './types';

/** How long an added notifier may take per event. */
const NOTIFIER_TIMEOUT_MS = 5_000;

export class FanOutNotifier implements DeploymentNotifier {
  constructor(
    private readonly builtIn: DeploymentNotifier,
    private readonly added: EcsDeployNotifier[],
    private readonly logger: LoggerService,
    private readonly timeoutMs = NOTIFIER_TIMEOUT_MS,
  ) {}

  async publish(event: DeploymentEvent): Promise<void> {
    await Promise.all([
      this.builtIn.publish(event),
      ...this.added.map(notifier => this.publishTo(notifier, event)),
    ]);
  }

  private async publishTo(notifier: EcsDeployNotifier, event: DeploymentEvent) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.timeoutMs / 1000} s`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([
        Promise.resolve().then(() => notifier.publish(event)),
        timeout,
      ]);
    } catch (error) {
      this.logger.warn(
        `Notifier '${notifier.name}' could not take the ${event.subject} event '${
          event.kind
        }': ${(error as Error)?.message ?? error}`,
        {
          entityRef: eventEntityRef(event),
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The entity an event is about. */
function eventEntityRef(event: DeploymentEvent): string {
  switch (event.subject) {
    case 'request':
      return event.request.entityRef;
    case 'verification':
      return event.verification.entityRef;
    default:
      return event.record.entityRef;
  }
}
