/**
 * The baselines of the read figures: the same figures as each page or endpoint, computed by one
 * hand-written SQL query each (no scope checks, no thresholds, no framework), run from the bench
 * process on its own connection. Window: the last twelve whole months up to today, Europe/Rome.
 */
const TZ = `'Europe/Rome'`
const WIN = `win as (select (date_trunc('month', now() at time zone ${TZ}) - interval '11 months') as lo_l, ((now() at time zone ${TZ})::date + 1)::timestamp as hi_l),
  w as (select lo_l at time zone ${TZ} as lo, hi_l at time zone ${TZ} as hi, lo_l, hi_l from win)`
const subtree = (team: string) => `(with recursive sub(id) as (select '${team}'::uuid union select t.id from teams t join sub on t.parent_id = sub.id) select p.id from people p where p.team_id in (select id from sub))`

/** Funnel KPIs per month (and, with a team, for that team's subtree): leads, conversion, created, won/lost, amounts, cycle, open pipeline. */
export function funnelSql(team?: string) {
  const owners = team ? `and o.owner_id in ${subtree(team)}` : `and o.owner_id is not null`
  const lowners = team ? `and l.owner_id in ${subtree(team)}` : `and l.owner_id is not null`
  return `with ${WIN},
  periods as (select gs as p, gs at time zone ${TZ} as lo, (gs + interval '1 month') at time zone ${TZ} as hi from win, generate_series(win.lo_l, win.hi_l - interval '1 day', interval '1 month') gs),
  o as (select o.* from opportunities o, w where o.created_at < w.hi and (o.closed_at is null or o.closed_at >= w.lo) ${owners}),
  created as (select date_trunc('month', created_at at time zone ${TZ}) as p, currency, count(*) as n from o, w where created_at >= w.lo group by 1, 2),
  closed as (select date_trunc('month', closed_at at time zone ${TZ}) as p, currency, count(*) filter (where status = 'won') as won, count(*) filter (where status = 'lost') as lost,
      sum(amount) filter (where status = 'won') as won_amount, avg(amount) filter (where status = 'won') as avg_deal,
      percentile_cont(0.5) within group (order by extract(epoch from closed_at - created_at) / 86400) filter (where status = 'won') as cycle_median
    from o, w where status <> 'open' and closed_at >= w.lo and closed_at < w.hi group by 1, 2),
  pipe as (select p.p, o.currency, count(*) as open_n, sum(o.amount) as open_value from periods p join o on o.created_at < least(p.hi, now()) and (o.closed_at is null or o.closed_at >= least(p.hi, now())) group by 1, 2),
  leads as (select date_trunc('month', created_at at time zone ${TZ}) as p, count(*) as n, count(*) filter (where converted) as converted from leads l, w where l.created_at >= w.lo and l.created_at < w.hi ${lowners} group by 1)
  select p.p, c.currency, l.n, l.converted, cr.n, cl.won, cl.lost, cl.won_amount, cl.avg_deal, cl.cycle_median, pi.open_n, pi.open_value
  from periods p cross join (values ('EUR'), ('USD')) c(currency)
  left join leads l on l.p = p.p left join created cr on cr.p = p.p and cr.currency = c.currency
  left join closed cl on cl.p = p.p and cl.currency = c.currency left join pipe pi on pi.p = p.p and pi.currency = c.currency
  order by 1, 2`
}

/** eNPS per month: each person's latest eNPS answer in the month counts once (org, or one team's subtree). */
export function enpsSql(team?: string) {
  const people = team ? `and r.person_id in ${subtree(team)}` : ''
  return `with ${WIN},
  latest as (
    select distinct on (date_trunc('month', r.submitted_on), r.person_id) date_trunc('month', r.submitted_on) as p, a.value_number as score
    from responses r join answers a on a.response_id = r.id and a.type = 'enps', w
    where r.submitted_on >= w.lo_l::date and r.submitted_on < w.hi_l::date ${people}
    order by date_trunc('month', r.submitted_on), r.person_id, r.submitted_on desc)
  select p, count(*) as n, round(100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(*)) as enps
  from latest group by p order by p`
}

/** Correlation across reps: each rep's mean eNPS answer per quarter against the rep's win rate in the same quarter. */
export function correlationSql(from: string, to: string, team?: string) {
  const people = team ? `and r.person_id in ${subtree(team)}` : ''
  const owners = team ? `and o.owner_id in ${subtree(team)}` : ''
  return `with
  s as (select r.person_id, date_trunc('quarter', r.submitted_on) as q, avg(a.value_number) as score
        from responses r join answers a on a.response_id = r.id and a.type = 'enps'
        where r.submitted_on between '${from}' and '${to}' ${people} group by 1, 2),
  k as (select o.owner_id, date_trunc('quarter', o.closed_at at time zone ${TZ}) as q,
          count(*) filter (where o.status = 'won')::float / nullif(count(*), 0) as win_rate
        from opportunities o where o.status <> 'open' and o.closed_at >= '${from}'::date and o.closed_at < '${to}'::date + 1 ${owners} group by 1, 2)
  select count(*) as n, corr(s.score, k.win_rate) as pearson from s join k on k.owner_id = s.person_id and k.q = s.q`
}

/** The home overlay: the organisation's eNPS per quarter beside its win rate per quarter. */
export function overlaySql() {
  return `with
  e as (select date_trunc('quarter', r.submitted_on) as q, a.value_number as score, r.person_id
        from responses r join answers a on a.response_id = r.id and a.type = 'enps' where r.submitted_on >= now() - interval '12 months'),
  en as (select q, round(100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(*)) as enps, count(distinct person_id) as n from e group by q),
  k as (select date_trunc('quarter', closed_at at time zone ${TZ}) as q, count(*) filter (where status = 'won')::float / nullif(count(*), 0) as win_rate
        from opportunities where status <> 'open' and closed_at >= now() - interval '12 months' group by 1)
  select * from en full join k using (q) order by q`
}

/** A survey's results: driver scores and favourable shares per team (with sub-teams) over the survey. */
export function resultsSql(surveyId: string) {
  return `with recursive tree(ancestor, team) as (select id, id from teams union select tree.ancestor, t.id from teams t join tree on t.parent_id = tree.team)
  select tree.ancestor, a.driver, count(distinct r.person_id) as n, avg(a.value_number) as mean, avg((a.value_number >= 4)::int) as favourable
  from responses r join answers a on a.response_id = r.id and a.value_number is not null join tree on tree.team = r.team_id
  where r.survey_id = '${surveyId}' group by 1, 2`
}
