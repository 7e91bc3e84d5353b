import { TerraformProgress } from './terraformProgress';

describe('TerraformProgress', () => {
  it("names what an apply started and did not finish, with Terraform's last elapsed time", () => {
    const progress = new TerraformProgress();
    // Lines as terraform 1.11 with the AWS provider prints them (-no-color).
    [
      'module.environment.data.aws_ssm_parameter.this: Reading...',
      'module.environment.data.aws_ssm_parameter.this: Read complete after 0s [id=/ecs-deploy/environments/prod]',
      'module.service.aws_cloudwatch_log_group.this: Creating...',
      'module.service.aws_iam_role.execution: Creating...',
      'module.service.aws_cloudwatch_log_group.this: Creation complete after 1s [id=/ecs/prod/api]',
      'module.service.aws_ecs_service.this: Modifying... [id=arn:aws:ecs:us-east-1:123456789012:service/demo-prod/api]',
      'module.service.aws_appautoscaling_target.this[0]: Creating...',
      'module.service.aws_ecs_service.this: Modifications complete after 2s [id=arn:aws:ecs:us-east-1:123456789012:service/demo-prod/api]',
      'module.service.aws_appautoscaling_target.this[0]: Still creating... [10s elapsed]',
      'module.service.aws_iam_role.execution: Still creating... [id=api-prod-execution, 10s elapsed]',
      'module.service.aws_appautoscaling_target.this[0]: Still creating... [2m10s elapsed]',
      'module.service.aws_ssm_parameter.old: Destroying... [id=/old]',
      'Interrupt received.',
    ].forEach(line => progress.onLine(line));

    expect(progress.unfinished()).toEqual([
      {
        address: 'module.service.aws_iam_role.execution',
        action: 'creating',
        elapsed: '10s',
      },
      {
        address: 'module.service.aws_appautoscaling_target.this[0]',
        action: 'creating',
        elapsed: '2m10s',
      },
      { address: 'module.service.aws_ssm_parameter.old', action: 'destroying' },
    ]);
  });

  it('forgets a resource whose creation errored, and reports nothing for a finished apply', () => {
    const progress = new TerraformProgress();
    [
      'aws_ecs_service.this: Creating...',
      'aws_ecs_service.this: Creation errored after 3s',
      'aws_iam_role.task: Destroying... [id=task]',
      'aws_iam_role.task: Destruction complete after 0s',
      'Apply complete! Resources: 0 added, 0 changed, 1 destroyed.',
    ].forEach(line => progress.onLine(line));
    expect(progress.unfinished()).toEqual([]);
  });
});
