-- Fixes to the funnel rollup triggers of 0009.
--
-- 1. The upserts take their rows in key order, so two transactions writing overlapping owners and
--    days lock the rollup rows in the same order instead of deadlocking.
CREATE OR REPLACE FUNCTION pulseboard_opportunity_daily_sql(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
SELECT format($q$
  with tz as (select coalesce((select timezone from settings limit 1), 'UTC') as name),
  src as (%s),
  r0 as (
    select s.sg, s.owner_id, s.currency, s.status, s.amount, s.probability, s.pipeline, s.stage, s.created_at, s.closed_at,
      (s.created_at at time zone tz.name)::date as cday, (s.closed_at at time zone tz.name)::date as xday
    from src s, tz where s.owner_id is not null
  ),
  -- The stage probability as the KPI engine resolves it (its own, else its stage's by key, CRM label or name).
  stage_prob as (
    select k.pipeline, k.stage, (select fs.probability from funnel_stages fs
        where fs.pipeline = k.pipeline and (lower(fs.key) = lower(k.stage) or k.stage = any(fs.labels) or lower(fs.name) = lower(k.stage))
        order by fs.position limit 1) as probability
    from (select distinct pipeline, stage from r0 where probability is null) k
  ),
  w as (
    select r0.*, r0.amount * coalesce(r0.probability, sp.probability, 0) as weighted
    from r0 left join stage_prob sp on r0.probability is null and sp.pipeline = r0.pipeline and sp.stage is not distinct from r0.stage
  ),
  deltas as (
    select owner_id, currency, cday as day, sum(sg) as created_count, coalesce(sum(sg) filter (where status = 'won'), 0) as created_won,
      sum(sg * amount) as created_amount, sum(sg * weighted) as created_weighted,
      0 as won, 0 as lost, 0 as won_amount, 0 as won_cycle_days, 0 as closed_count, 0 as closed_amount, 0 as closed_weighted
    from w group by 1, 2, 3
    union all
    select owner_id, currency, xday, 0, 0, 0, 0,
      coalesce(sum(sg) filter (where status = 'won'), 0), coalesce(sum(sg) filter (where status = 'lost'), 0),
      coalesce(sum(sg * amount) filter (where status = 'won'), 0),
      coalesce(sum(sg * extract(epoch from closed_at - created_at) / 86400.0) filter (where status = 'won'), 0),
      sum(sg), sum(sg * amount), sum(sg * weighted)
    from w where closed_at is not null group by 1, 2, 3
  ),
  daily as (
    select owner_id, currency, day, sum(created_count) as created_count, sum(created_won) as created_won, sum(created_amount) as created_amount, sum(created_weighted) as created_weighted, sum(won) as won, sum(lost) as lost, sum(won_amount) as won_amount, sum(won_cycle_days) as won_cycle_days, sum(closed_count) as closed_count, sum(closed_amount) as closed_amount, sum(closed_weighted) as closed_weighted
    from deltas group by 1, 2, 3
  ),
  into_daily as (
    insert into opportunity_daily as d (owner_id, currency, day, created_count, created_won, created_amount, created_weighted, won, lost, won_amount, won_cycle_days, closed_count, closed_amount, closed_weighted)
    select * from daily order by owner_id, currency, day
    on conflict (owner_id, currency, day) do update set
    created_count = d.created_count + excluded.created_count,
    created_won = d.created_won + excluded.created_won,
    created_amount = d.created_amount + excluded.created_amount,
    created_weighted = d.created_weighted + excluded.created_weighted,
    won = d.won + excluded.won,
    lost = d.lost + excluded.lost,
    won_amount = d.won_amount + excluded.won_amount,
    won_cycle_days = d.won_cycle_days + excluded.won_cycle_days,
    closed_count = d.closed_count + excluded.closed_count,
    closed_amount = d.closed_amount + excluded.closed_amount,
    closed_weighted = d.closed_weighted + excluded.closed_weighted
  )
  insert into opportunity_monthly as m (owner_id, currency, month, created_count, created_won, created_amount, created_weighted, won, lost, won_amount, won_cycle_days, closed_count, closed_amount, closed_weighted)
  select owner_id, currency, date_trunc('month', day)::date, sum(created_count), sum(created_won), sum(created_amount), sum(created_weighted), sum(won), sum(lost), sum(won_amount), sum(won_cycle_days), sum(closed_count), sum(closed_amount), sum(closed_weighted)
  from daily group by 1, 2, 3 order by 1, 2, 3
  on conflict (owner_id, currency, month) do update set
    created_count = m.created_count + excluded.created_count,
    created_won = m.created_won + excluded.created_won,
    created_amount = m.created_amount + excluded.created_amount,
    created_weighted = m.created_weighted + excluded.created_weighted,
    won = m.won + excluded.won,
    lost = m.lost + excluded.lost,
    won_amount = m.won_amount + excluded.won_amount,
    won_cycle_days = m.won_cycle_days + excluded.won_cycle_days,
    closed_count = m.closed_count + excluded.closed_count,
    closed_amount = m.closed_amount + excluded.closed_amount,
    closed_weighted = m.closed_weighted + excluded.closed_weighted
$q$, src)
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pulseboard_lead_daily_sql(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
SELECT format($q$
  with tz as (select coalesce((select timezone from settings limit 1), 'UTC') as name),
  src as (%s),
  daily as (
    select s.owner_id, (s.created_at at time zone tz.name)::date as day, sum(s.sg) as created, coalesce(sum(s.sg) filter (where s.converted), 0) as converted
    from src s, tz where s.owner_id is not null
    group by 1, 2
  ),
  into_daily as (
    insert into lead_daily as d (owner_id, day, created, converted)
    select * from daily order by owner_id, day
    on conflict (owner_id, day) do update set created = d.created + excluded.created, converted = d.converted + excluded.converted
  )
  insert into lead_monthly as m (owner_id, month, created, converted)
  select owner_id, date_trunc('month', day)::date, sum(created), sum(converted) from daily group by 1, 2 order by 1, 2
  on conflict (owner_id, month) do update set created = m.created + excluded.created, converted = m.converted + excluded.converted
$q$, src)
$fn$;
--> statement-breakpoint
-- 2. A statement on funnel_stages that changes nothing (the default stages are inserted with
--    ON CONFLICT DO NOTHING before every ingest and import) no longer rebuilds the rollups: only rows
--    inserted, deleted or actually changed do.
DROP TRIGGER funnel_rollups_stages ON funnel_stages;
--> statement-breakpoint
CREATE FUNCTION pulseboard_funnel_stages_changed_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  changed boolean;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT exists (SELECT 1 FROM new_rows) INTO changed;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT exists (SELECT 1 FROM old_rows) INTO changed;
  ELSE
    SELECT exists (SELECT * FROM new_rows EXCEPT SELECT * FROM old_rows) INTO changed;
  END IF;
  IF changed THEN
    PERFORM pulseboard_rebuild_opportunity_daily();
  END IF;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER funnel_rollups_stages_insert AFTER INSERT ON funnel_stages REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pulseboard_funnel_stages_changed_trigger();
--> statement-breakpoint
CREATE TRIGGER funnel_rollups_stages_update AFTER UPDATE ON funnel_stages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pulseboard_funnel_stages_changed_trigger();
--> statement-breakpoint
CREATE TRIGGER funnel_rollups_stages_delete AFTER DELETE ON funnel_stages REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pulseboard_funnel_stages_changed_trigger();
--> statement-breakpoint
CREATE TRIGGER funnel_rollups_stages_truncate AFTER TRUNCATE ON funnel_stages FOR EACH STATEMENT EXECUTE FUNCTION pulseboard_funnel_rollups_rebuild_trigger();
