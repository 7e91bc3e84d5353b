import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** Where deprecation warnings go (the root logger at start-up). */
export interface ConfigWarnings {
  warn(message: string): void;
}

const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000 };

/**
 * A section's reader: its config, the full key prefix for messages, and where warnings go.
 * Every reader of `ecsDeploy.*` reads through one of these.
 */
export class Section {
  constructor(
    readonly config: Config,
    readonly prefix: string,
    readonly warnings: ConfigWarnings,
  ) {}

  key(key: string) {
    return `${this.prefix}.${key}`;
  }

  /**
   * A duration in ms: `key` as a Backstage HumanDuration (`{ seconds: 10 }`, or an ISO-8601
   * string), or the deprecated number `legacy.key` in `legacy.unit` with a warning naming the new
   * key; `fallback` (ms) when neither is set. Must be positive unless `allowZero`.
   */
  duration(
    key: string,
    fallback: number,
    legacy?: { key: string; unit: keyof typeof UNIT_MS },
    options: { allowZero?: boolean } = {},
  ): number {
    let ms: number | undefined;
    if (this.config.has(key)) {
      try {
        ms = durationToMilliseconds(
          readDurationFromConfig(this.config, { key }),
        );
      } catch (error) {
        throw new InputError(
          `${this.key(key)} must be a duration like { seconds: 10 }: ${
            (error as Error).message
          }`,
        );
      }
    } else if (legacy && this.config.has(legacy.key)) {
      const value = this.config.getNumber(legacy.key);
      this.warnings.warn(
        `${this.key(legacy.key)} is deprecated; use ${this.key(key)}: { ${
          legacy.unit
        }: ${value} }`,
      );
      ms = value * UNIT_MS[legacy.unit];
    }
    const value = ms ?? fallback;
    if (!(value > 0 || (options.allowZero && value === 0))) {
      throw new InputError(
        `${this.key(key)} must be ${
          options.allowZero ? '0 or more' : 'positive'
        }, got ${value} ms`,
      );
    }
    return value;
  }

  /** A positive number (rounded and capped at `max` when given). */
  number(key: string, fallback: number, max?: number): number {
    const value = this.config.getOptionalNumber(key) ?? fallback;
    if (!(value > 0)) {
      throw new InputError(
        `${this.key(key)} must be a positive number, got ${value}`,
      );
    }
    return max === undefined ? value : Math.min(max, Math.round(value));
  }

  child(key: string): Section {
    return new Section(
      // A section that is not set reads as empty: every value takes its default.
      this.config.getOptionalConfig(key) ?? new ConfigReader({}),
      this.key(key),
      this.warnings,
    );
  }
}
