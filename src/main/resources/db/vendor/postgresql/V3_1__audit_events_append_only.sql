-- PostgreSQL itself refuses to change or remove audit events, whoever asks (the triggers fire for
-- the table owner and superusers too). The chain head may only move forward, one event at a time.
-- H2 has no equivalent; there the hash chain alone shows tampering (GET /api/audit/verify).

create function audit_events_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only: % is refused', tg_op
    using errcode = 'insufficient_privilege',
          hint = 'audit events are never changed or removed; see README, "Audit trail"';
end
$$;

create trigger audit_events_no_update_or_delete
  before update or delete on audit_events
  for each row execute function audit_events_refuse_change();

create trigger audit_events_no_truncate
  before truncate on audit_events
  for each statement execute function audit_events_refuse_change();

create function audit_chain_head_forward_only() returns trigger language plpgsql as $$
begin
  if tg_op <> 'UPDATE' or new.id <> old.id or new.seq <> old.seq + 1 then
    raise exception 'audit_chain_head only moves forward by one event: % is refused', tg_op
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end
$$;

create trigger audit_chain_head_forward_only
  before update or delete on audit_chain_head
  for each row execute function audit_chain_head_forward_only();

create trigger audit_chain_head_no_truncate
  before truncate on audit_chain_head
  for each statement execute function audit_chain_head_forward_only();

revoke update, delete, truncate on audit_events from public;
