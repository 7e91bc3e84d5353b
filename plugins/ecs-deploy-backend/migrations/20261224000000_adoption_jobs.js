// @ts-check

/**
 * Bulk adoption jobs: the job and one row per service, written before anything runs, so that a
 * restart (or another replica) resumes the services still pending; each row keeps its outcome
 * (the per-service report).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ecs_deploy_adoption_jobs', table => {
    table.comment('Bulk adoptions of unclaimed ECS services, started by an admin');
    table.string('id').primary();
    table.string('actor').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
  });
  await knex.schema.createTable('ecs_deploy_adoption_job_items', table => {
    table.comment('One service of a bulk adoption job, with its outcome');
    table
      .string('job_id')
      .notNullable()
      .references('id')
      .inTable('ecs_deploy_adoption_jobs')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.string('service_name').notNullable();
    table.text('environments').notNullable().comment('JSON list');
    table.string('owner').notNullable();
    table
      .string('status')
      .notNullable()
      .comment('pending, adopted, already-adopted or failed');
    table.string('entity_ref').nullable();
    table.text('error').nullable().comment('JSON {name, message}');
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.primary(['job_id', 'position']);
    table.index(['status'], 'ecs_deploy_adoption_job_items_status_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ecs_deploy_adoption_job_items');
  await knex.schema.dropTable('ecs_deploy_adoption_jobs');
};
