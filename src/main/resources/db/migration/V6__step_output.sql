-- The command output of each step, capped (dev.lifeboat.runbook.StepOutput says how), and how
-- many bytes the step printed in all, cut ones included. Portable across H2 and PostgreSQL.

alter table run_steps add column output text;
alter table run_steps add column output_bytes bigint;
