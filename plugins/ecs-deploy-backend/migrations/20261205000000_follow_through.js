// @ts-check

/**
 * Follow-through and approvals: the outcome of each promotion and rollback once its rollout
 * ended, the rollouts being followed (shared by every replica), and promotion requests.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ecs_deploy_audit', table => {
    table
      .string('outcome')
      .nullable()
      .comment(
        'in-progress | rolled-out | failed | rolled-back-automatically (followed actions)',
      );
    table.timestamp('outcome_at', { useTz: true }).nullable();
    table
      .bigInteger('duration_ms')
      .nullable()
      .comment('created_at → outcome_at');
    table.text('outcome_message').nullable();
    table
      .string('caused_by')
      .nullable()
      .comment('Audit id of the failed action an automatic rollback answers');
    table.string('request_id').nullable().comment('Promotion request id');
    table
      .text('freeze_override')
      .nullable()
      .comment("An admin's reason for acting during a freeze window");
    table.index(['caused_by'], 'ecs_deploy_audit_caused_by_idx');
  });
  await knex.schema.createTable('ecs_deploy_rollouts', table => {
    table.comment(
      'Promotions and rollbacks whose rollout the backend follows to an outcome',
    );
    table
      .string('audit_id')
      .primary()
      .notNullable()
      .comment('The ecs_deploy_audit row of the action');
    table.text('expected_task_definition').notNullable();
    table.timestamp('deadline_at', { useTz: true }).notNullable();
    table.boolean('auto_rollback').notNullable();
    table
      .string('state')
      .notNullable()
      .comment('following | rolling-back (the rollout failed; rolling back)');
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error').nullable();
    table.string('claimed_by').nullable();
    table.timestamp('claim_expires_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('ecs_deploy_promotion_requests', table => {
    table.comment(
      'Promotions waiting for another owner or an admin to approve',
    );
    table.string('id').primary().notNullable();
    table.string('entity_ref').notNullable();
    table.string('from_environment').notNullable();
    table.string('to_environment').notNullable();
    table
      .text('images')
      .notNullable()
      .comment('JSON ContainerImage[]: what approval promotes, pinned');
    table.text('source_task_definition').notNullable();
    table.text('target_task_definition').notNullable();
    table.string('requester').notNullable();
    table.text('reason').notNullable();
    table
      .string('state')
      .notNullable()
      .comment('pending | approved | rejected | withdrawn | expired | stale');
    table.text('message').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('decided_by').nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_reason').nullable();
    table.string('audit_id').nullable();
    table.index(
      ['entity_ref', 'created_at'],
      'ecs_deploy_promotion_requests_entity_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ecs_deploy_promotion_requests');
  await knex.schema.dropTable('ecs_deploy_rollouts');
  await knex.schema.alterTable('ecs_deploy_audit', table => {
    table.dropIndex(['caused_by'], 'ecs_deploy_audit_caused_by_idx');
    table.dropColumn('freeze_override');
    table.dropColumn('request_id');
    table.dropColumn('caused_by');
    table.dropColumn('outcome_message');
    table.dropColumn('duration_ms');
    table.dropColumn('outcome_at');
    table.dropColumn('outcome');
  });
};
