-- Unattended protection (README, "Schedules, retention and proof"). Portable across H2 and PostgreSQL.

-- A schedule starts a runbook at every slot of its cron expression in its time zone.
create table schedules (
  id                  varchar(36)  primary key,
  name                varchar(63)  not null unique,
  runbook             varchar(100) not null,
  parameters          text         not null,   -- JSON, validated like POST /api/runs
  cron                varchar(120) not null,
  time_zone           varchar(64)  not null,
  retention           text         not null,   -- JSON: keepDaily, keepWeekly, keepMonthly, keepOnDemand
  verify_after_backup boolean      not null,
  paused              boolean      not null,
  slots_from          timestamp with time zone not null, -- slots after this are due (created, resumed, cron changed)
  last_slot_at        timestamp with time zone,          -- the latest slot handled (started, skipped or missed)
  created_by          varchar(100) not null,
  created_at          timestamp with time zone not null,
  updated_by          varchar(100),
  updated_at          timestamp with time zone
);

-- One row per (schedule, slot): the primary key makes a slot start at most once, whichever
-- Lifeboat instance handles it and however often the scheduler delivers the tick.
create table schedule_slots (
  schedule_id varchar(36)  not null,
  slot_at     timestamp with time zone not null,
  status      varchar(20)  not null,   -- STARTING, STARTED, SKIPPED, MISSED, FAILED
  run_id      varchar(36),
  reason      text,
  recorded_at timestamp with time zone not null,
  primary key (schedule_id, slot_at)
);
create index schedule_slots_run on schedule_slots (run_id);
create index schedule_slots_status on schedule_slots (status);

-- Catalogue: which schedule made a backup (null: on demand), and the newest proof of restore.
alter table backups add column schedule_name varchar(63);
alter table backups add column verified_at timestamp with time zone;
alter table backups add column proof text;   -- JSON: status PROVEN or FAILED, at, runId, what was proven
create index backups_kind_source on backups (kind, source);

-- db-scheduler's table is in db/vendor/<vendor>/V8_1 (its binary column has no common type name).

-- Sources seen stale, so that backup.stale is sent once per stale spell (not once per instance or check).
create table freshness_alerts (
  kind        varchar(50)  not null,
  source      varchar(200) not null,
  stale_since timestamp with time zone not null,
  primary key (kind, source)
);

-- Notifications that could not be delivered after every retry (the admin page lists them).
create table notification_failures (
  id          varchar(36)  primary key,
  event       varchar(50)  not null,
  channel     varchar(20)  not null,   -- webhook or email
  target      varchar(500) not null,   -- webhook URL without its path and query, or the e-mail addresses
  attempts    integer      not null,
  error       text         not null,
  text        text         not null,
  failed_at   timestamp with time zone not null
);
create index notification_failures_at on notification_failures (failed_at);
