-- The audit trail: append-only, each event chained to the one before by a SHA-256 hash
-- (dev.lifeboat.audit.AuditHash says exactly what is hashed). Portable across H2 and PostgreSQL;
-- on PostgreSQL, db/vendor/postgresql/V3_1 adds triggers that refuse UPDATE, DELETE and TRUNCATE.

create table audit_events (
  seq         bigint       primary key,
  occurred_at timestamp with time zone not null,
  actor       varchar(200) not null,
  action      varchar(50)  not null,
  run_id      varchar(36),
  step        varchar(200),
  runbook     varchar(100),
  details     text         not null,
  prev_hash   varchar(64)  not null,
  hash        varchar(64)  not null
);
-- Newest first is seq descending; each filter has an index that also yields that order.
create index audit_events_actor on audit_events (actor, seq);
create index audit_events_run on audit_events (run_id, seq);
create index audit_events_runbook on audit_events (runbook, seq);
create index audit_events_action on audit_events (action, seq);
create index audit_events_time on audit_events (occurred_at, seq);

-- The end of the chain. Appending locks this one row (select ... for update), so appends are
-- serialized and the chain never forks, also with several Lifeboat instances on one database.
create table audit_chain_head (
  id   integer     primary key,
  seq  bigint      not null,
  hash varchar(64) not null
);
insert into audit_chain_head (id, seq, hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
