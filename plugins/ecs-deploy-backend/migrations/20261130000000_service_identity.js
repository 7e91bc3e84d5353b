// @ts-check

/**
 * Audit rows name the ECS service they target (account, region, cluster, name), so a service's
 * history is complete whatever entity acted on it, and how its ownership was proven.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ecs_deploy_audit', table => {
    table.string('target_account').nullable();
    table.string('target_region').nullable();
    table.string('target_cluster').nullable();
    table.string('target_service').nullable();
    table
      .string('ownership_proof')
      .nullable()
      .comment('tag | mapping: how the target was proven to be the entity');
    table.index(
      ['target_service', 'target_cluster', 'created_at'],
      'ecs_deploy_audit_service_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ecs_deploy_audit', table => {
    table.dropIndex(
      ['target_service', 'target_cluster', 'created_at'],
      'ecs_deploy_audit_service_idx',
    );
    table.dropColumn('ownership_proof');
    table.dropColumn('target_service');
    table.dropColumn('target_cluster');
    table.dropColumn('target_region');
    table.dropColumn('target_account');
  });
};
