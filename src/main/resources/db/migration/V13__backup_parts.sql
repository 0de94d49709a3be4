-- Parts of a backup kept outside its archive, in the backup repository (the bodies of a Deis store
-- set, stored once by content and shared between sets). Portable across H2 and PostgreSQL.

-- The parts each backup references, by the id reserved for it (recorded before it is catalogued):
-- a part that no catalogued backup references may be swept once no run relies on it.
create table backup_parts (
  backup_id varchar(200) not null,
  part      varchar(200) not null,
  primary key (backup_id, part)
);
create index backup_parts_part on backup_parts (part);

-- When a run last wrote or reused each part (the claimant's clock). A sweep removes a part only
-- while holding this row's lock and only if the claim is older than every backup in progress, so a
-- run that claims a part first and then checks that it is there never relies on a removed part.
create table part_claims (
  part       varchar(200) primary key,
  claimed_at timestamp with time zone not null
);
