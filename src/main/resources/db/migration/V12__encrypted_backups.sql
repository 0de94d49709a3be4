-- Encryption at rest (age). sha256 and size_bytes stay those of the stored bytes (what a download
-- returns); plaintext_sha256 is the archive's before encryption. Entries from before are plain.
alter table backups add column encrypted boolean default false not null;
alter table backups add column plaintext_sha256 varchar(64);
