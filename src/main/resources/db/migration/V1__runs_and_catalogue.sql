-- Lifeboat's own record of runs (the embedded engine forgets; this does not), the backup
-- catalogue and generated user accounts. Portable across H2 and PostgreSQL.

create table runs (
  id                   varchar(36)  primary key,
  runbook              varchar(100) not null,
  status               varchar(32)  not null,
  initiator            varchar(100) not null,
  parameters           text         not null,
  outputs              text         not null,
  message              text,
  process_instance_key bigint,
  created_at           timestamp with time zone not null,
  finished_at          timestamp with time zone
);
create index runs_created_at on runs (created_at);
create index runs_status on runs (status);
create index runs_runbook on runs (runbook);

create table run_steps (
  run_id         varchar(36)  not null references runs (id),
  element_id     varchar(200) not null,
  name           varchar(200) not null,
  status         varchar(32)  not null,
  seq            integer      not null,
  attempts       integer      not null,
  started_at     timestamp with time zone,
  finished_at    timestamp with time zone,
  message        text,
  progress_done  bigint,
  progress_total bigint,
  progress_unit  varchar(20),
  primary key (run_id, element_id)
);

create table backups (
  id          varchar(200) primary key,
  kind        varchar(50)  not null,
  source      text         not null,
  sha256      varchar(64)  not null,
  size_bytes  bigint       not null,
  location    varchar(500) not null,
  metadata    text         not null,
  notes       text,
  created_by  varchar(100),
  run_id      varchar(36),
  created_at  timestamp with time zone not null,
  started_at  timestamp with time zone,
  finished_at timestamp with time zone
);
create index backups_created_at on backups (created_at);

create table user_accounts (
  username      varchar(100) primary key,
  password_hash varchar(200) not null,
  roles         varchar(200) not null,
  created_at    timestamp with time zone not null
);
