// @ts-check

/**
 * Deployment strategies: the services whose deployments carry the portal's gates (the portal
 * continues them), and the holds people put on a deployment in progress.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ecs_deploy_gated_services', table => {
    // No apostrophe: knex does not escape table comments on PostgreSQL.
    table.comment(
      'ECS services deployed with the lifecycle hooks of the portal: the gate controller watches their deployments',
    );
    table.string('environment').notNullable();
    table.string('service_name').notNullable();
    table.timestamp('since', { useTz: true }).notNullable();
    table.primary(['environment', 'service_name']);
  });
  await knex.schema.createTable('ecs_deploy_deployment_holds', table => {
    table.comment(
      'Holds on deployments in progress: their gates stay closed until continued',
    );
    table
      .string('service_deployment_arn', 1024)
      .primary()
      .notNullable()
      .comment('ECS service deployment the hold is on');
    table.string('environment').notNullable();
    table.string('service_name').notNullable();
    table.string('held_by').notNullable();
    table.timestamp('held_at', { useTz: true }).notNullable();
    table.text('reason').nullable();
    table.index(
      ['environment', 'service_name'],
      'ecs_deploy_deployment_holds_service_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ecs_deploy_deployment_holds');
  await knex.schema.dropTable('ecs_deploy_gated_services');
};
