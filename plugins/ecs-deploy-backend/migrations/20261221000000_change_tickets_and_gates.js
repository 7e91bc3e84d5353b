// @ts-check

/**
 * Promotion gates and change tickets: what each gate said about a promotion (on its audit row),
 * and the change ticket a promotion or a promotion request carries out.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ecs_deploy_audit', table => {
    table
      .string('change_ticket')
      .nullable()
      .comment('The change ticket the promotion carried out');
    table
      .text('gates')
      .nullable()
      .comment('JSON GateVerdict[]: the promotion gates that ran and what each said');
  });
  await knex.schema.alterTable('ecs_deploy_promotion_requests', table => {
    table
      .string('change_ticket')
      .nullable()
      .comment('The change ticket the requested promotion carries out');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ecs_deploy_promotion_requests', table => {
    table.dropColumn('change_ticket');
  });
  await knex.schema.alterTable('ecs_deploy_audit', table => {
    table.dropColumn('gates');
    table.dropColumn('change_ticket');
  });
};
