/*
 * Container image references (`registry/repo:tag`, `repo@sha256:…`, `host:5000/repo:tag`): one
 * parser for the backend (status, digest pinning), the scaffolder (input) and the frontend.
 */
import { z } from 'zod';
import type { ContainerImage } from '../types';

/** The parts of an image reference. @public */
export interface ImageReference {
  /** Everything before the tag or digest, e.g. `ghcr.io/acme/payments-api`. */
  repository: string;
  tag?: string;
  /** `sha256:…` */
  digest?: string;
}

const IMAGE_PATTERN = /^[a-z0-9][a-z0-9._\-/:@]{0,254}$/i;

/**
 * Why `value` is not an image reference we accept, or undefined when it is: no spaces, quotes
 * or control characters, no `..` or `//`, at most 255 characters.
 *
 * @public
 */
export function imageReferenceProblem(value: string): string | undefined {
  if (
    !IMAGE_PATTERN.test(value) ||
    value.includes('..') ||
    value.includes('//')
  ) {
    return 'must be a container image reference such as ghcr.io/acme/payments-api:1.4.0';
  }
  const { repository, digest } = parseImageReference(value);
  if (
    !repository ||
    (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest))
  ) {
    return 'must be a container image reference such as ghcr.io/acme/payments-api:1.4.0 or repo@sha256:<64 hex>';
  }
  return undefined;
}

/** An image reference (zod). @public */
export const imageReferenceSchema = z.string().superRefine((value, ctx) => {
  const problem = imageReferenceProblem(value);
  if (problem) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  }
});

/**
 * Splits an image reference. A colon after the last slash starts the tag (a colon before it is a
 * registry port); `@` starts the digest.
 *
 * @public
 */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return colon >= 0
    ? { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest }
    : { repository: name, digest };
}

/**
 * `repo:tag@digest`: the image pinned to the digest its tasks resolved, keeping the tag for people
 * (ECS pulls by the digest and ignores the tag; it writes task images the same way).
 *
 * @public
 */
export function pinImageToDigest(image: string, digest: string): string {
  const { repository, tag } = parseImageReference(image);
  return `${repository}${tag !== undefined ? `:${tag}` : ''}@${digest}`;
}

/**
 * Whether two references name the same image: same repository and tag, and the same digest
 * when both carry one (`repo:1.4.0` and `repo:1.4.0@sha256:…` are the same release).
 *
 * @public
 */
export function isSameImage(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseImageReference(a);
  const y = parseImageReference(b);
  if (x.repository !== y.repository) return false;
  if (x.digest !== undefined && y.digest !== undefined) {
    return x.digest === y.digest;
  }
  return x.tag !== undefined && x.tag === y.tag;
}

/** The image of one container, with its tag and digest split out. @public */
export function describeImage(
  container: string,
  image: string,
): ContainerImage {
  const { tag, digest } = parseImageReference(image);
  return {
    container,
    image,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
  };
}

/** The tag of an image, else its short digest, else the whole reference (for display). @public */
export function imageVersion(image: ContainerImage): string {
  if (image.tag) {
    return image.tag;
  }
  const digest = image.digest ?? parseImageReference(image.image).digest;
  return digest ? digest.slice(0, 19) : image.image;
}
