import { block, pass, PreflightCheck } from './types';

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/**
 * The images the promotion sets resolve to a digest, so that prod runs exactly what the source
 * ran: the image is pinned already, or the source's running tasks reported the digest they pulled
 * (ECS's `imageDigest`; the context's images are pinned to it). The registry itself is not asked:
 * the portal holds no registry credentials, and a tag may move between the check and the pull;
 * the digest of a running task is what was tested.
 */
export const imageDigestCheck = (requireDigest: boolean): PreflightCheck => ({
  name: 'image-digest',
  async run({ source, target, images }) {
    const targetContainers = new Set(
      (target.state.summary?.images ?? []).map(i => i.container),
    );
    const promoted = [...images].filter(([c]) => targetContainers.has(c));
    const unresolved = promoted.filter(([, image]) => !DIGEST.test(image));
    if (unresolved.length === 0) {
      return pass(
        `${promoted.map(([c, i]) => `${c}: ${i.split('@')[1]}`).join(', ')}`,
      );
    }
    if (!requireDigest) {
      return pass(
        `${unresolved
          .map(([c, i]) => `${c}: ${i}`)
          .join(', ')} by its tag (ecsDeploy.preflight.requireDigest is off)`,
      );
    }
    return block(
      `${unresolved
        .map(([c, i]) => `${i} (container ${c})`)
        .join(', ')} does not resolve to a digest: no running task of ${
        source.serviceName
      } in ${source.env.name} reports one`,
      `Promote once ${source.env.name}'s tasks run the image (ECS reports the digest they pulled), or deploy it to ${source.env.name} pinned to a digest (repository@sha256:…).`,
    );
  },
});
