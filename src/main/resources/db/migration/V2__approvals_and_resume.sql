-- Approval tasks (job-worker user tasks of the engine, as Lifeboat shows and decides them) and,
-- for resuming a run in a new engine instance, the variables each step produced.

create table approval_tasks (
  id          bigint       primary key,
  run_id      varchar(36)  not null references runs (id),
  element_id  varchar(200) not null,
  name        varchar(200) not null,
  status      varchar(20)  not null,
  evidence    text         not null,
  created_at  timestamp with time zone not null,
  expires_at  timestamp with time zone,
  decided_by  varchar(100),
  decided_at  timestamp with time zone,
  comment     text
);
create index approval_tasks_run on approval_tasks (run_id);
create index approval_tasks_status on approval_tasks (status);

alter table run_steps add column variables text;
