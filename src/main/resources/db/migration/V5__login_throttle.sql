-- Login throttling (README, "Login throttling"): consecutive failed logins per user name and per
-- client address, and the lockout they earned. Kept here so that every Lifeboat instance on the
-- database counts together; rows change only under their lock (select ... for update).
-- Portable across H2 and PostgreSQL.

create table login_throttle (
  lock_kind       varchar(10)  not null,   -- 'user' (a user name as sent) or 'address' (a client address)
  subject         varchar(200) not null,   -- the user name or address; 'sha256:<hex>' of a longer one
  failures        integer      not null,   -- consecutive failed logins
  lockouts        integer      not null,   -- lockouts in this run of failures; each doubles the delay
  locked_until    timestamp with time zone,
  last_failure_at timestamp with time zone not null,
  primary key (lock_kind, subject)
);
-- For the sweep that records ended locks and forgets old counts.
create index login_throttle_locked_until on login_throttle (locked_until);
create index login_throttle_last_failure on login_throttle (last_failure_at);
