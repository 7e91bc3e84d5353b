// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ecs_deploy_audit', table => {
    table.comment('Every promotion and rollback attempt, allowed or not');
    table.string('id').primary().notNullable();
    table.string('action').notNullable().comment('promote | rollback');
    table.string('entity_ref').notNullable();
    table
      .string('actor')
      .notNullable()
      .comment('User entity ref of the caller');
    table.string('from_environment').nullable();
    table.string('to_environment').notNullable();
    table.text('previous_task_definition').nullable();
    table.text('new_task_definition').nullable();
    table
      .text('previous_images')
      .notNullable()
      .comment('JSON ContainerImage[]');
    table.text('new_images').notNullable().comment('JSON ContainerImage[]');
    table.text('reason').nullable();
    table
      .string('result')
      .notNullable()
      .comment('started | succeeded | failed | denied | rejected');
    table.text('message').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['entity_ref', 'created_at'], 'ecs_deploy_audit_entity_idx');
  });
  await knex.schema.createTable('ecs_deploy_locks', table => {
    table.comment(
      'One row per promotion/rollback in flight, shared by all backend replicas',
    );
    table.string('lock_key').primary().notNullable();
    table.string('owner').notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ecs_deploy_locks');
  await knex.schema.dropTable('ecs_deploy_audit');
};
