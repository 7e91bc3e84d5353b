'use strict';
const {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} = require('@aws-sdk/client-resource-groups-tagging-api');
const { DefaultAwsCredentialsManager } = require('@backstage/integration-aws-node');

/** `AWS::ECS::Service` → `ecs:service`, the Tagging API's resource type filter. */
const resourceTypeFilter = type => {
  const [, service, resource] = type.split('::');
  return `${service.toLowerCase()}:${resource.toLowerCase()}`;
};

/** `key=value,key2=value2` → the Tagging API's tag filters. */
const tagFilters = tagString =>
  tagString.split(',').map(pair => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`Malformed tag "${pair}" in "${tagString}"`);
    return { Key: pair.slice(0, at).trim(), Values: [pair.slice(at + 1).trim()] };
  });

/**
 * The default locator (`aws.locator` unset): one Resource Groups Tagging API client of the main
 * account's credentials, one GetResources call per lookup.
 */
exports.AwsResourceLocatorFactory = {
  async fromConfig(config) {
    const { sdkCredentialProvider } =
      await DefaultAwsCredentialsManager.fromConfig(config).getCredentialProvider();
    const client = new ResourceGroupsTaggingAPIClient({
      credentialDefaultProvider: () => sdkCredentialProvider,
    });
    return {
      async getResourceArns({ resourceType, tagString }) {
        const out = await client.send(
          new GetResourcesCommand({
            ResourceTypeFilters: [resourceTypeFilter(resourceType)],
            TagFilters: tagFilters(tagString),
          }),
        );
        return (out.ResourceTagMappingList ?? []).map(m => m.ResourceARN);
      },
    };
  },
};
