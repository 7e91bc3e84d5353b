'use strict';
exports.AWS_SDK_CUSTOM_USER_AGENT = 'aws-backstage-plugin/bench';

/** The first of `names` the entity is annotated with, as `{ name, value }`. */
exports.getOneOfEntityAnnotations = (entity, names) => {
  const annotations = entity.metadata.annotations ?? {};
  const name = names.find(n => annotations[n]);
  return name ? { name, value: annotations[name] } : undefined;
};
