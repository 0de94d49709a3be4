-- The backup pipeline (dev.lifeboat.catalog.BackupPipeline). Portable across H2 and PostgreSQL.

-- Every backup id handed out: the primary key makes two runs that start in the same second on
-- one source get different ids, also on several Lifeboat instances sharing this database. (Ids in
-- the catalogue or the backup repository from before this table, or from uploads, are skipped too.)
create table backup_ids (
  id          varchar(200) primary key,
  kind        varchar(50)  not null,
  source      varchar(200) not null,
  run_id      varchar(36),
  reserved_at timestamp with time zone not null
);
create index backup_ids_run on backup_ids (run_id, kind, source);

-- Checksums besides sha256 that the platform asked for (Juju's base64 SHA-1), as JSON by name.
alter table backups add column checksums text;

-- "source" becomes a stable identity of what was backed up (the etcd cluster id), no longer a JSON
-- object of details (those are in metadata). Entries written before take their clusterId.
update backups
set source = substring(source from position('"clusterId":"' in source) + 13
                       for position('"' in substring(source from position('"clusterId":"' in source) + 13)) - 1)
where source like '{%"clusterId":"%';
