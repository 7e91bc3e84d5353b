'use strict';
// The entity annotations of AWS's ECS plugin: one service ARN, or tags to look services up by.
exports.AWS_ECS_SERVICE_ARN_ANNOTATION = 'aws.amazon.com/amazon-ecs-service-arn';
exports.AWS_ECS_SERVICE_TAGS_ANNOTATION = 'aws.amazon.com/amazon-ecs-service-tags';
