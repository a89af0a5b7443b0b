-- Least privilege on a PostgreSQL server: the application acts as junheng_app (SET ROLE on
-- each connection), which may only insert into and read the audit log. Skipped where the
-- migrating user may not create roles (PGlite runs as a superuser and creates it harmlessly).
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'junheng_app') then
    begin
      create role junheng_app nologin;
    exception when insufficient_privilege then
      raise notice 'cannot create role junheng_app; running without a separate application role';
      return;
    end;
  end if;
  execute format('grant junheng_app to %I', current_user);
  grant usage on schema public to junheng_app;
  grant select, insert, update, delete on all tables in schema public to junheng_app;
  revoke update, delete, truncate on audit_log from junheng_app;
  grant usage, select on all sequences in schema public to junheng_app;
  alter default privileges in schema public grant select, insert, update, delete on tables to junheng_app;
  alter default privileges in schema public grant usage, select on sequences to junheng_app;
end;
$$;
